/**
 * Backups of one database, and their restore: what the CronJobs of k8s/backups run, and what runs locally.
 *
 *   backup  --kind postgres|mongodb --name <name> --dest <dir> [--keep <n>]   (URL from $BACKUP_URL, or --url)
 *   restore --from <backup dir> [--name <name>]                               (URL from $BACKUP_URL, or --url)
 *   verify  --from <backup dir>                  checksums and manifest only, no database
 *   list    --dest <dir> [--kind k --name n]     the complete backups, newest first
 *
 * PostgreSQL: `pg_dump --format=custom` (PostgreSQL 15 client tools), restored with `pg_restore --clean
 * --if-exists --single-transaction --exit-on-error`: all or nothing. MongoDB (FerretDB here, MongoDB in a
 * cluster; no mongodump needed): each collection as canonical Extended JSON, one document a line (every BSON
 * type kept: ObjectId, Date, Decimal128, Int64…), with its indexes; restored by replacing each collection.
 * For MongoDB the URL names the server and --database (or $BACKUP_DATABASE) the database.
 *
 * Each backup is a directory <dest>/<kind>/<name>/<UTC timestamp>/ with manifest.json: the files with their
 * SHA-256 and size, and the row or document count of every table or collection. It is written under a
 * `.partial` name and renamed when complete, so a crash leaves no backup that looks whole. Restore verifies
 * every checksum before touching the database, and the counts after: a corrupt, truncated or incomplete
 * backup fails loudly (exit status 1) and names what is wrong. Retention (--keep n, default 14) deletes the
 * oldest complete backups beyond n after a successful backup, and abandoned `.partial` directories.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { mongoose } from "@fv/platform";

const { MongoClient, BSON } = mongoose.mongo;
const { EJSON } = BSON;

export const MANIFEST = "manifest.json";
const FORMAT = 1;

export interface ManifestFile {
  path: string;
  bytes: number;
  sha256: string;
}
export interface Manifest {
  format: number;
  kind: "postgres" | "mongodb";
  name: string;
  database: string;
  createdAt: string;
  durationMs: number;
  files: ManifestFile[];
  /** Rows per table (schema.table) or documents per collection. */
  counts: Record<string, number>;
  tool: string;
}

export class BackupError extends Error {}

async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function describeFile(dir: string, path: string): Promise<ManifestFile> {
  const full = join(dir, path);
  return { path, bytes: statSync(full).size, sha256: await sha256File(full) };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", (error) => reject(new BackupError(`${command} could not run: ${error.message}`)));
    child.on("close", (code) =>
      code === 0 ? resolve(out) : reject(new BackupError(`${command} failed (exit ${code}): ${err.trim()}`)),
    );
  });
}

/** A libpq connection string without its password (which goes to libpq through PGPASSWORD, not argv). */
function libpq(url: string): { conninfo: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = "";
  return { conninfo: u.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

const databaseOfUrl = (url: string) => decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));

async function postgresCounts(url: string): Promise<Record<string, number>> {
  const { conninfo, env } = libpq(url);
  // Exact counts of every user table, in one statement (query_to_xml runs a count per table).
  const sql = `select n.nspname || '.' || c.relname,
      (xpath('/row/c/text()', query_to_xml(format('select count(*) as c from %I.%I', n.nspname, c.relname), false, true, '')))[1]::text::bigint
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'
    order by 1`;
  const out = await run(
    "psql",
    ["--no-psqlrc", "-X", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql, conninfo],
    env,
  );
  const counts: Record<string, number> = {};
  for (const line of out.split("\n").filter(Boolean)) {
    const [table, count] = line.split("\t");
    counts[table!] = Number(count);
  }
  return counts;
}

async function backupPostgres(url: string, dir: string) {
  const { conninfo, env } = libpq(url);
  const counts = await postgresCounts(url);
  await run(
    "pg_dump",
    ["--format=custom", "--no-owner", "--no-privileges", "--file", join(dir, "database.dump"), conninfo],
    env,
  );
  const version = (await run("pg_dump", ["--version"])).trim();
  return { files: ["database.dump"], counts, database: databaseOfUrl(url), tool: version };
}

async function restorePostgres(url: string, dir: string) {
  const { conninfo, env } = libpq(url);
  await run(
    "pg_restore",
    [
      "--clean",
      "--if-exists",
      "--no-owner",
      "--no-privileges",
      "--single-transaction",
      "--exit-on-error",
      "--dbname",
      conninfo,
      join(dir, "database.dump"),
    ],
    env,
  );
  return postgresCounts(url);
}

const collectionFile = (name: string) => `${encodeURIComponent(name)}.ejson`;
const indexesFile = (name: string) => `${encodeURIComponent(name)}.indexes.json`;

type Db = InstanceType<typeof mongoose.mongo.Db>;

async function userCollections(db: Db) {
  const all = await db.listCollections({}, { nameOnly: false }).toArray();
  return all
    .filter((c) => (c as { type?: string }).type !== "view" && !c.name.startsWith("system."))
    .map((c) => c.name)
    .sort();
}

async function backupMongo(url: string, database: string, dir: string) {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5_000 });
  await client.connect();
  try {
    const db = client.db(database);
    const counts: Record<string, number> = {};
    const files: string[] = [];
    for (const name of await userCollections(db)) {
      const collection = db.collection(name);
      const out = createWriteStream(join(dir, collectionFile(name)));
      let count = 0;
      // Natural order is not stable across servers: _id order is, and restores identically. BSON values stay
      // BSON (a double 5.0 stays a double, not the number 5 that would come back an int32).
      const cursor = collection.find({}, { sort: { _id: 1 }, promoteValues: false, bsonRegExp: true });
      for await (const doc of cursor) {
        if (!out.write(EJSON.stringify(doc, { relaxed: false }) + "\n")) await once(out, "drain");
        count++;
      }
      out.end();
      await once(out, "finish");
      const indexes = (await collection.listIndexes().toArray())
        .filter((index) => index.name !== "_id_")
        .map(({ v: _v, ns: _ns, ...index }) => index);
      await writeFile(join(dir, indexesFile(name)), EJSON.stringify(indexes, undefined, 2, { relaxed: false }) + "\n");
      counts[name] = count;
      files.push(collectionFile(name), indexesFile(name));
    }
    const info = (await db.admin().command({ buildInfo: 1 })) as { version?: string; ferretdbVersion?: string };
    return { files, counts, database, tool: `node mongodb driver; server ${info.ferretdbVersion ?? info.version}` };
  } finally {
    await client.close();
  }
}

async function restoreMongo(url: string, database: string, dir: string, manifest: Manifest) {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5_000 });
  await client.connect();
  try {
    const db = client.db(database);
    const counts: Record<string, number> = {};
    for (const name of Object.keys(manifest.counts)) {
      // Parse everything first: a malformed line fails the restore before the collection is dropped.
      const docs: Record<string, unknown>[] = [];
      const lines = createInterface({ input: createReadStream(join(dir, collectionFile(name))), crlfDelay: Infinity });
      let lineNumber = 0;
      for await (const line of lines) {
        lineNumber++;
        if (!line) continue;
        try {
          docs.push(EJSON.parse(line, { relaxed: false }) as Record<string, unknown>);
        } catch (error) {
          throw new BackupError(
            `${collectionFile(name)} line ${lineNumber} is not Extended JSON: ${(error as Error).message}`,
          );
        }
      }
      const indexes = EJSON.parse(await readFile(join(dir, indexesFile(name)), "utf8"), { relaxed: false }) as {
        key: Record<string, unknown>;
        name: string;
        [option: string]: unknown;
      }[];
      if ((await db.listCollections({ name }).toArray()).length) await db.collection(name).drop();
      await db.createCollection(name);
      const collection = db.collection(name);
      for (let i = 0; i < docs.length; i += 1_000)
        await collection.insertMany(docs.slice(i, i + 1_000), { ordered: true });
      if (indexes.length) await collection.createIndexes(indexes as never);
      counts[name] = await collection.countDocuments();
    }
    return counts;
  } finally {
    await client.close();
  }
}

const timestamp = (date: Date) => date.toISOString().replace(/[-:]/g, "").replace(".", "");

/** Complete backups (a manifest, no `.partial`) of one kind and name, newest first. */
export function listBackups(dest: string, kind: string, name: string): string[] {
  const dir = join(dest, kind, name);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((entry) => !entry.endsWith(".partial") && existsSync(join(dir, entry, MANIFEST)))
    .sort()
    .reverse()
    .map((entry) => join(dir, entry));
}

/** Keeps the newest `keep` complete backups; removes the rest and `.partial` leftovers older than a day. */
export function prune(dest: string, kind: string, name: string, keep: number): string[] {
  const removed = listBackups(dest, kind, name).slice(keep);
  const dir = join(dest, kind, name);
  for (const entry of readdirSync(dir))
    if (entry.endsWith(".partial") && Date.now() - statSync(join(dir, entry)).mtimeMs > 86_400_000)
      removed.push(join(dir, entry));
  for (const path of removed) rmSync(path, { recursive: true, force: true });
  return removed;
}

export async function backup(options: {
  kind: "postgres" | "mongodb";
  name: string;
  url: string;
  database?: string;
  dest: string;
  keep?: number;
}): Promise<{ dir: string; manifest: Manifest; removed: string[] }> {
  const started = new Date();
  const final = join(options.dest, options.kind, options.name, timestamp(started));
  if (existsSync(final)) throw new BackupError(`${final} already exists`);
  const partial = `${final}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  try {
    const result =
      options.kind === "postgres"
        ? await backupPostgres(options.url, partial)
        : await backupMongo(options.url, required(options.database, "--database"), partial);
    const manifest: Manifest = {
      format: FORMAT,
      kind: options.kind,
      name: options.name,
      database: result.database,
      createdAt: started.toISOString(),
      durationMs: Date.now() - started.getTime(),
      files: await Promise.all(result.files.map((f) => describeFile(partial, f))),
      counts: result.counts,
      tool: result.tool,
    };
    await writeFile(join(partial, MANIFEST), JSON.stringify(manifest, null, 2) + "\n");
    renameSync(partial, final);
    const removed = prune(options.dest, options.kind, options.name, options.keep ?? 14);
    return { dir: final, manifest, removed };
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}

/** Reads a backup's manifest and checks every file against it. Throws BackupError naming what is wrong. */
export async function verify(dir: string): Promise<Manifest> {
  if (basename(dir).endsWith(".partial")) throw new BackupError(`${dir} is an incomplete backup (.partial)`);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, MANIFEST), "utf8")) as Manifest;
  } catch (error) {
    throw new BackupError(`${dir} has no readable ${MANIFEST}: ${(error as Error).message}`);
  }
  if (manifest.format !== FORMAT || !Array.isArray(manifest.files) || !manifest.counts)
    throw new BackupError(`${dir}/${MANIFEST} is not a backup manifest of format ${FORMAT}`);
  for (const file of manifest.files) {
    const full = join(dir, file.path);
    if (!existsSync(full)) throw new BackupError(`${file.path} is missing from ${dir}`);
    const bytes = statSync(full).size;
    if (bytes !== file.bytes)
      throw new BackupError(`${file.path} has ${bytes} bytes, the manifest says ${file.bytes} (truncated?)`);
    const sha256 = await sha256File(full);
    if (sha256 !== file.sha256) throw new BackupError(`${file.path} does not match its checksum (corrupt)`);
  }
  return manifest;
}

export async function restore(options: { from: string; url: string; database?: string }) {
  const started = Date.now();
  const manifest = await verify(options.from);
  const counts =
    manifest.kind === "postgres"
      ? await restorePostgres(options.url, options.from)
      : await restoreMongo(options.url, options.database ?? manifest.database, options.from, manifest);
  const wrong = Object.entries(manifest.counts).filter(([table, count]) => counts[table] !== count);
  if (wrong.length)
    throw new BackupError(
      `restored counts differ from the backup's: ${wrong.map(([t, c]) => `${t} ${counts[t]} (expected ${c})`).join(", ")}`,
    );
  return { manifest, counts, durationMs: Date.now() - started };
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined || value === "") throw new BackupError(`${what} is required`);
  return value;
}

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      kind: { type: "string" },
      name: { type: "string" },
      url: { type: "string" },
      database: { type: "string" },
      dest: { type: "string" },
      from: { type: "string" },
      keep: { type: "string" },
    },
  });
  const url = () => required(values.url ?? process.env.BACKUP_URL, "--url or BACKUP_URL");
  const database = values.database ?? process.env.BACKUP_DATABASE;
  const log = (fields: Record<string, unknown>) =>
    console.log(JSON.stringify({ time: new Date().toISOString(), ...fields }));
  switch (command) {
    case "backup": {
      const kind = values.kind;
      if (kind !== "postgres" && kind !== "mongodb") throw new BackupError("--kind must be postgres or mongodb");
      const keep = Number(values.keep ?? 14);
      if (!Number.isInteger(keep) || keep < 1) throw new BackupError("--keep must be a positive integer");
      const result = await backup({
        kind,
        name: required(values.name, "--name"),
        url: url(),
        database,
        dest: required(values.dest, "--dest"),
        keep,
      });
      log({
        msg: "backup complete",
        dir: result.dir,
        bytes: result.manifest.files.reduce((sum, f) => sum + f.bytes, 0),
        durationMs: result.manifest.durationMs,
        counts: result.manifest.counts,
        removed: result.removed,
      });
      return;
    }
    case "restore": {
      const result = await restore({ from: required(values.from, "--from"), url: url(), database });
      log({ msg: "restore complete", from: values.from, durationMs: result.durationMs, counts: result.counts });
      return;
    }
    case "verify": {
      const manifest = await verify(required(values.from, "--from"));
      log({ msg: "backup verified", from: values.from, files: manifest.files.length, counts: manifest.counts });
      return;
    }
    case "list": {
      const dest = required(values.dest, "--dest");
      for (const kind of values.kind ? [values.kind] : ["postgres", "mongodb"]) {
        if (!existsSync(join(dest, kind))) continue;
        for (const name of values.name ? [values.name] : readdirSync(join(dest, kind)))
          for (const dir of listBackups(dest, kind, name)) console.log(dir);
      }
      return;
    }
    default:
      throw new BackupError(
        `usage: backup.ts backup|restore|verify|list … (see the comment at the top of ${basename(import.meta.filename)})`,
      );
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(
      JSON.stringify({
        time: new Date().toISOString(),
        msg: error instanceof Error ? error.message : String(error),
        level: "error",
      }),
    );
    process.exit(1);
  });
}
