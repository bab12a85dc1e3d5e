/**
 * Backups restore: scripts/backup/backup.ts — the script the CronJobs of k8s/backups run — backs up a PostgreSQL
 * database and a MongoDB (FerretDB) database seeded with every kind of value they hold here, the databases are
 * wiped, restored from the backups, and found identical: same tables, collections and indexes, same counts, same
 * content checksums. A corrupt, truncated or unrestorable backup fails the restore with exit status 1 and a
 * message naming the problem, and leaves the database as it was. Retention keeps the newest backups only.
 * Each run uses a database of its own on the real servers and removes it.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  appendFileSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger, createPostgres, mongoose } from "@fv/platform";
import { createTestDatabase, testMongoDatabase } from "@fv/platform/testing";
import { MANIFEST, listBackups, type Manifest } from "../../scripts/backup/backup.js";

const { MongoClient, BSON } = mongoose.mongo;
const script = new URL("../../scripts/backup/backup.ts", import.meta.url).pathname;
const dest = mkdtempSync(join(tmpdir(), "fv-backups-"));
let database: Awaited<ReturnType<typeof createTestDatabase>>;
const mongoTarget = testMongoDatabase("backup");
const mongo = new MongoClient(mongoTarget.url);
const figures: Record<string, unknown> = {};

/** Runs the backup script as the CronJob does: a process of its own, the URL in the environment. */
function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const pgEnv = () => ({ BACKUP_URL: database.url });
const mongoEnv = { BACKUP_URL: mongoTarget.url, BACKUP_DATABASE: mongoTarget.dbName };

type PgClient = NonNullable<ReturnType<typeof createPostgres>["pool"]>;

/** A client of its own for each use (the restore drops what a long-lived one would hold). */
async function withPg<T>(fn: (client: PgClient) => Promise<T>): Promise<T> {
  const store = createPostgres({
    url: database.url,
    schema: {},
    logger: createLogger("backup-test", "silent"),
    poolSize: 1,
  });
  try {
    return await fn(store.pool!);
  } finally {
    await store.close();
  }
}

/** Every table's row count and content checksum, the indexes, constraints and sequence positions. */
async function pgFingerprint() {
  return withPg(async (client) => {
    const tables = (
      await client.query<{ name: string }>(
        `select format('%I.%I', schemaname, tablename) as name from pg_tables
         where schemaname not in ('pg_catalog', 'information_schema') order by 1`,
      )
    ).rows.map((r) => r.name);
    const content: Record<string, { count: number; md5: string }> = {};
    for (const table of tables) {
      const { rows } = await client.query(
        `select count(*)::int as count, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as md5 from ${table} t`,
      );
      content[table] = rows[0];
    }
    const indexes = (
      await client.query(`select indexname, indexdef from pg_indexes where schemaname = 'shop' order by 1`)
    ).rows;
    const constraints = (
      await client.query(
        `select conname, pg_get_constraintdef(oid) as def from pg_constraint where connamespace = 'shop'::regnamespace order by 1`,
      )
    ).rows;
    const sequences = (await client.query(`select last_value from shop.orders_number_seq`)).rows;
    return { content, indexes, constraints, sequences };
  });
}

/** Every collection's documents (canonical Extended JSON, by _id) as a checksum, with counts and indexes. */
async function mongoFingerprint() {
  const db = mongo.db(mongoTarget.dbName);
  const result: Record<string, { count: number; sha256: string; indexes: unknown[] }> = {};
  for (const { name } of (await db.listCollections().toArray()).sort((a, b) => a.name.localeCompare(b.name))) {
    const hash = createHash("sha256");
    let count = 0;
    for await (const doc of db
      .collection(name)
      .find({}, { sort: { _id: 1 }, promoteValues: false, bsonRegExp: true })) {
      hash.update(BSON.EJSON.stringify(doc, { relaxed: false }) + "\n");
      count++;
    }
    const indexes = (await db.collection(name).listIndexes().toArray())
      .map(({ name: n, key, unique }) => ({ name: n, key, unique: unique ?? false }))
      .sort((a, b) => a.name.localeCompare(b.name));
    result[name] = { count, sha256: hash.digest("hex"), indexes };
  }
  return result;
}

async function seedPostgres() {
  await withPg(async (client) => {
    await client.query(`
      create schema shop;
      create type shop.order_status as enum ('PENDING', 'PAID', 'DELIVERED');
      create table shop.products (id uuid primary key, name text not null unique, price integer not null check (price > 0),
        tags text[] not null default '{}', attributes jsonb, image bytea, weight numeric(8, 3), created_at timestamptz not null);
      create sequence shop.orders_number_seq start 1000;
      create table shop.orders (id bigint primary key default nextval('shop.orders_number_seq'),
        product_id uuid not null references shop.products (id), status shop.order_status not null,
        commune text, note text, placed_at timestamptz not null default now());
      create index orders_by_status on shop.orders (status, placed_at desc);
      create index products_search on shop.products using gin (to_tsvector('spanish', name));
    `);
    for (let i = 0; i < 300; i++) {
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
      await client.query(`insert into shop.products values ($1, $2, $3, $4, $5, $6, $7, $8)`, [
        id,
        `Ramo ${i} de rosas y lirios — ñandú «${i % 7}»`,
        10_000 + i * 137,
        [`tag${i % 5}`, "flores"],
        { color: ["rojo", "blanco"][i % 2], stems: i, nested: { ok: i % 3 === 0, quote: `"${i}"` } },
        Buffer.from([i % 256, 0, 255, 10]),
        (i * 1.125).toFixed(3),
        new Date(Date.UTC(2026, 1, 14, 9, i % 60, i % 60, i)),
      ]);
      if (i % 2 === 0)
        await client.query(`insert into shop.orders (product_id, status, commune, note) values ($1, $2, $3, $4)`, [
          id,
          ["PENDING", "PAID", "DELIVERED"][i % 3],
          i % 4 ? "Ñuñoa" : null,
          i % 5 ? `Entregar antes de las ${i % 24}:00\nTocar el timbre` : null,
        ]);
    }
  });
}

async function seedMongo() {
  await mongo.connect();
  const db = mongo.db(mongoTarget.dbName);
  const items = db.collection("wishlist_items");
  await items.createIndex({ wishlistId: 1, productId: 1 }, { unique: true, name: "wishlist_product_unique" });
  await items.createIndex({ wishlistId: 1, slot: 1 }, { unique: true, name: "wishlist_slot_unique" });
  const docs = Array.from({ length: 500 }, (_, i) => ({
    _id: new BSON.ObjectId(),
    wishlistId: new BSON.ObjectId(Buffer.alloc(12, i % 50)),
    productId: `product-${i}`,
    slot: Math.floor(i / 50),
    addedAt: new Date(Date.UTC(2026, 4, 10, 12, 0, i)),
    quantity: new BSON.Int32(i % 9),
    big: BSON.Long.fromString(`${9_007_199_254_740_993n + BigInt(i)}`),
    price: new BSON.Double(i + 0.5),
    whole: new BSON.Double(i),
    note: i % 3 ? `Para mamá — ${i} 🌷` : null,
    tags: ["día-de-la-madre", { nested: [i, `x${i}`] }],
    raw: new BSON.Binary(Buffer.from([i % 256, 1, 2])),
    pattern: new BSON.BSONRegExp(`^ramo-${i}`, "i"),
  }));
  await items.insertMany(docs);
  const reviews = db.collection("reviews");
  await reviews.createIndex({ productId: 1, authorId: 1 }, { unique: true, name: "one_review_per_author" });
  await reviews.createIndex({ productId: 1, createdAt: -1 }, { name: "by_product_recent" });
  await reviews.insertMany(
    Array.from({ length: 120 }, (_, i) => ({
      productId: `product-${i % 10}`,
      authorId: new BSON.ObjectId(),
      rating: new BSON.Int32((i % 5) + 1),
      title: `Reseña ${i}`,
      createdAt: new Date(Date.UTC(2026, 5, 1, 0, 0, i)),
      moderation: { status: i % 4 ? "APPROVED" : "PENDING", by: null },
    })),
  );
  await db.createCollection("empty_outbox");
}

beforeAll(async () => {
  database = await createTestDatabase("backup");
  await seedPostgres();
  await seedMongo();
});

afterAll(async () => {
  await mongo
    .db(mongoTarget.dbName)
    .dropDatabase()
    .catch(() => undefined);
  await mongo.close();
  await database?.drop();
  rmSync(dest, { recursive: true, force: true });
  console.log(`backup figures: ${JSON.stringify(figures)}`);
});

const backupDir = (stdout: string) => JSON.parse(stdout.trim().split("\n").pop()!).dir as string;
const dirBytes = (dir: string) => readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);

describe("PostgreSQL (pg_dump custom format, pg_restore)", () => {
  let before: Awaited<ReturnType<typeof pgFingerprint>>;
  let dir: string;

  it("backs up: a dump, its checksum and every table's count in the manifest", async () => {
    before = await pgFingerprint();
    const started = Date.now();
    const result = await cli(["backup", "--kind", "postgres", "--name", "shop", "--dest", dest], pgEnv());
    figures.postgresBackupMs = Date.now() - started;
    expect(result.code, result.stderr).toBe(0);
    dir = backupDir(result.stdout);
    figures.postgresBackupBytes = dirBytes(dir);
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), "utf8")) as Manifest;
    expect(manifest.kind).toBe("postgres");
    expect(manifest.files.map((f) => f.path)).toEqual(["database.dump"]);
    expect(manifest.files[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.counts["shop.products"]).toBe(300);
    expect(manifest.counts["shop.orders"]).toBe(150);
    expect(readFileSync(join(dir, "database.dump")).subarray(0, 5).toString()).toBe("PGDMP");
    // The password never reaches the process list: the URL is in the environment, libpq gets PGPASSWORD.
    expect(result.stdout).not.toContain("BACKUP_URL");
  });

  it("wiped, then restored, the database is the same: tables, counts, content, indexes, constraints, sequence", async () => {
    await withPg((client) => client.query("drop schema shop cascade"));
    expect((await pgFingerprint().catch(() => undefined)) ?? "gone").toBe("gone");
    const started = Date.now();
    const result = await cli(["restore", "--from", dir], pgEnv());
    figures.postgresRestoreMs = Date.now() - started;
    expect(result.code, result.stderr).toBe(0);
    expect(await pgFingerprint()).toEqual(before);
    // And the restored database works: the sequence continues where it was.
    const next = await withPg((c) => c.query(`select nextval('shop.orders_number_seq')::int as n`));
    expect(next.rows[0].n).toBe(Number(before.sequences[0].last_value) + 1);
  });

  it("restores over a database whose rows changed since: the backup's rows, nothing of the later changes", async () => {
    await withPg(async (client) => {
      await client.query(`delete from shop.orders where status = 'PAID'`);
      await client.query(`update shop.products set price = price + 1`);
    });
    const result = await cli(["restore", "--from", dir], pgEnv());
    expect(result.code, result.stderr).toBe(0);
    expect(await pgFingerprint()).toEqual(before);
  });

  it("refuses to restore over objects the backup does not know, and changes nothing (restore into a new database)", async () => {
    await withPg((client) => client.query(`create table shop.later (id int); insert into shop.later values (1)`));
    const expected = await pgFingerprint();
    const result = await cli(["restore", "--from", dir], pgEnv());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("cannot drop schema shop because other objects depend on it");
    expect(await pgFingerprint()).toEqual(expected);
    await withPg((client) => client.query(`drop table shop.later`));
  });

  it("refuses a corrupt dump before touching the database", async () => {
    const corrupt = join(dest, "corrupt-pg");
    rmSync(corrupt, { recursive: true, force: true });
    await cli(["backup", "--kind", "postgres", "--name", "corrupt", "--dest", corrupt], pgEnv());
    const copy = listBackups(corrupt, "postgres", "corrupt")[0]!;
    const dump = join(copy, "database.dump");
    const bytes = readFileSync(dump);
    const middle = Math.floor(bytes.length / 2);
    bytes.writeUInt8(bytes.readUInt8(middle) ^ 0xff, middle);
    writeFileSync(dump, bytes);
    await withPg((c) =>
      c.query(`insert into shop.orders (product_id, status) select id, 'PAID' from shop.products limit 1`),
    );
    const expected = await pgFingerprint();
    const result = await cli(["restore", "--from", copy], pgEnv());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("database.dump does not match its checksum (corrupt)");
    expect(await pgFingerprint()).toEqual(expected);
  });

  it("refuses a truncated dump", async () => {
    const copy = listBackups(join(dest, "corrupt-pg"), "postgres", "corrupt")[0]!;
    const dump = join(copy, "database.dump");
    truncateSync(dump, Math.floor(statSync(dump).size / 3));
    const result = await cli(["restore", "--from", copy], pgEnv());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/database\.dump has \d+ bytes, the manifest says \d+ \(truncated\?\)/);
  });

  it("fails loudly on a dump that pg_restore cannot restore, and leaves the database as it was", async () => {
    // A dump broken when it was written (its checksum is its own): only the restore can tell.
    const broken = join(dest, "broken-pg");
    await cli(["backup", "--kind", "postgres", "--name", "broken", "--dest", broken], pgEnv());
    const copy = listBackups(broken, "postgres", "broken")[0]!;
    const dump = join(copy, "database.dump");
    const full = readFileSync(dump);
    writeFileSync(dump, full.subarray(0, Math.floor(full.length * 0.6)));
    const manifest = JSON.parse(readFileSync(join(copy, MANIFEST), "utf8")) as Manifest;
    manifest.files[0] = {
      path: "database.dump",
      bytes: statSync(dump).size,
      sha256: createHash("sha256").update(readFileSync(dump)).digest("hex"),
    };
    writeFileSync(join(copy, MANIFEST), JSON.stringify(manifest));
    const expected = await pgFingerprint();
    const result = await cli(["restore", "--from", copy], pgEnv());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("pg_restore failed");
    expect(await pgFingerprint()).toEqual(expected);
  });
});

describe("MongoDB (canonical Extended JSON per collection, with indexes)", () => {
  let before: Awaited<ReturnType<typeof mongoFingerprint>>;
  let dir: string;

  it("backs up every collection and its indexes, keeping BSON types", async () => {
    before = await mongoFingerprint();
    expect(Object.keys(before)).toEqual(["empty_outbox", "reviews", "wishlist_items"]);
    const started = Date.now();
    const result = await cli(["backup", "--kind", "mongodb", "--name", "wishlist", "--dest", dest], mongoEnv);
    figures.mongoBackupMs = Date.now() - started;
    expect(result.code, result.stderr).toBe(0);
    dir = backupDir(result.stdout);
    figures.mongoBackupBytes = dirBytes(dir);
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), "utf8")) as Manifest;
    expect(manifest.counts).toEqual({ empty_outbox: 0, reviews: 120, wishlist_items: 500 });
    const first = readFileSync(join(dir, "wishlist_items.ejson"), "utf8").split("\n")[0]!;
    for (const type of [
      '"$oid"',
      '"$date"',
      '"$numberInt"',
      '"$numberLong"',
      '"$numberDouble"',
      '"$binary"',
      '"$regularExpression"',
    ])
      expect(first).toContain(type);
  });

  it("wiped, then restored, the database is the same: collections, counts, documents, indexes", async () => {
    await mongo.db(mongoTarget.dbName).dropDatabase();
    expect(await mongoFingerprint()).toEqual({});
    const started = Date.now();
    const result = await cli(["restore", "--from", dir], mongoEnv);
    figures.mongoRestoreMs = Date.now() - started;
    expect(result.code, result.stderr).toBe(0);
    expect(await mongoFingerprint()).toEqual(before);
    // The unique indexes hold again: they carry business rules.
    const items = mongo.db(mongoTarget.dbName).collection("wishlist_items");
    const one = await items.findOne({});
    await expect(items.insertOne({ ...one, _id: new BSON.ObjectId() })).rejects.toMatchObject({ code: 11000 });
  });

  it("refuses a truncated collection file", async () => {
    const copy = join(dest, "mongo-truncated");
    const made = await cli(["backup", "--kind", "mongodb", "--name", "truncated", "--dest", copy], mongoEnv);
    const backup = backupDir(made.stdout);
    const file = join(backup, "reviews.ejson");
    truncateSync(file, statSync(file).size - 100);
    const result = await cli(["restore", "--from", backup], mongoEnv);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("reviews.ejson has");
    expect(await mongoFingerprint()).toEqual(before);
  });

  it("fails loudly on a collection file that is not Extended JSON, before dropping anything", async () => {
    const copy = join(dest, "mongo-broken");
    const made = await cli(["backup", "--kind", "mongodb", "--name", "broken", "--dest", copy], mongoEnv);
    const backup = backupDir(made.stdout);
    const file = join(backup, "wishlist_items.ejson");
    appendFileSync(file, '{"_id": {"$oid": "not an object id"}\n');
    const manifest = JSON.parse(readFileSync(join(backup, MANIFEST), "utf8")) as Manifest;
    const entry = manifest.files.find((f) => f.path === "wishlist_items.ejson")!;
    entry.bytes = statSync(file).size;
    entry.sha256 = createHash("sha256").update(readFileSync(file)).digest("hex");
    writeFileSync(join(backup, MANIFEST), JSON.stringify(manifest));
    const result = await cli(["restore", "--from", backup], mongoEnv);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("wishlist_items.ejson line 501 is not Extended JSON");
    expect(await mongoFingerprint()).toEqual(before);
  });

  it("refuses a backup without its manifest (an interrupted one)", async () => {
    const copy = join(dest, "mongo-no-manifest");
    const made = await cli(["backup", "--kind", "mongodb", "--name", "partial", "--dest", copy], mongoEnv);
    const backup = backupDir(made.stdout);
    rmSync(join(backup, MANIFEST));
    const result = await cli(["restore", "--from", backup], mongoEnv);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`has no readable ${MANIFEST}`);
    expect(listBackups(copy, "mongodb", "partial")).toEqual([]);
  });
});

describe("retention", () => {
  it("keeps the newest --keep backups and deletes the older ones", async () => {
    const retained = join(dest, "retention");
    const made: string[] = [];
    for (let i = 0; i < 3; i++) {
      const result = await cli(
        ["backup", "--kind", "mongodb", "--name", "wishlist", "--dest", retained, "--keep", "2"],
        mongoEnv,
      );
      expect(result.code, result.stderr).toBe(0);
      made.push(backupDir(result.stdout));
    }
    expect(listBackups(retained, "mongodb", "wishlist")).toEqual([made[2], made[1]]);
    const verified = await cli(["verify", "--from", made[2]!], {});
    expect(verified.code, verified.stderr).toBe(0);
  });
});
