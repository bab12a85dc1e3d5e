import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anonymous, createLogger } from "@fv/platform";
import { listProducts } from "../src/catalogue.js";
import { seedDemoCatalogue } from "../src/db/demo-catalogue.js";
import { createStore, migrationsFolder, type ProductsStore } from "../src/server.js";
import { startProducts } from "./helpers.js";

/** The same migrations, seed and search SQL on the embedded PGlite and on PostgreSQL give the same answers. */
let pglite: ProductsStore;
let postgres: Awaited<ReturnType<typeof startProducts>>;
beforeAll(async () => {
  pglite = createStore({}, createLogger("products-test", "silent"));
  await pglite.migrate(migrationsFolder);
  await seedDemoCatalogue(pglite.db);
  postgres = await startProducts();
});
afterAll(async () => {
  await pglite?.close();
  await postgres?.stop();
});

const slugs = async (store: ProductsStore, search: string) =>
  (await listProducts(store.db, anonymous, { filter: { search }, first: 100 })).edges.map((e) => e.node.slug);

describe("search on PGlite", () => {
  it("runs on PGlite", () => expect(pglite.driver).toBe("pglite"));

  for (const search of ["cumpleanos", "cumpleaños", "rosa", "ORQUÍDEA", "peonias", "girasoles alegres"]) {
    it(`"${search}" finds the same products as PostgreSQL`, async () => {
      // Equal ranks are ordered by id, which differs between the two seeded databases: compare as sets.
      const embedded = (await slugs(pglite, search)).sort();
      expect(embedded.length).toBeGreaterThan(0);
      expect(embedded).toEqual((await slugs(postgres.store, search)).sort());
    });
  }
});
