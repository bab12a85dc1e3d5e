import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drizzle } from "drizzle-orm/node-postgres";
import {
  createTestDatabase,
  listenForTest,
  resolveEntities,
  testServiceEnv,
  testStores,
  graphql,
  uniqueName,
} from "@fv/platform/testing";
import { Redis } from "ioredis";
import { STREAMS, createLogger, parseConfig, type Service } from "@fv/platform";
import { configShape } from "../src/config.js";
import { schema, categories, products } from "../src/db/schema.js";
import { buildProductsService, createStore, migrationsFolder, type ProductsStore } from "../src/server.js";

/** The service runs on a drizzle instance whose logger counts every SQL statement it sends. */
let queries = 0;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let store: ProductsStore;
let service: Service;
let url: string;
const eventsPrefix = `${uniqueName("test_products_count")}:`;

beforeAll(async () => {
  database = await createTestDatabase("products_count");
  const config = parseConfig(configShape, {
    ...testServiceEnv(),
    DATABASE_URL: database.url,
    REDIS_URL: testStores.redisUrl,
    // A stream nobody writes to: no rating event adds a query to the count.
    EVENTS_PREFIX: eventsPrefix,
    LOG_LEVEL: "silent",
  });
  store = createStore(config, createLogger("products-test", "silent"));
  await store.migrate(migrationsFolder);
  const [category] = await store.db.insert(categories).values({ slug: "ramos", name: "Ramos" }).returning();
  await store.db.insert(products).values(
    Array.from({ length: 100 }, (_, i) => ({
      slug: `ramo-${i}`,
      sku: `RAM${String(i).padStart(3, "0")}`,
      name: `Ramo ${i}`,
      description: "Ramo de prueba.",
      price: 20_000 + i,
      categoryId: category!.id,
      stockOnHand: i % 3,
    })),
  );
  const counting = drizzle(store.pool!, { schema, casing: "snake_case", logger: { logQuery: () => void queries++ } });
  service = await buildProductsService(config, createLogger("products", "silent"), {
    ...store,
    db: counting as unknown as ProductsStore["db"],
  });
  url = await listenForTest(service);
});
afterAll(async () => {
  await service?.stop();
  await database?.drop();
  const redis = new Redis(testStores.redisUrl);
  await redis.del(`${eventsPrefix}${STREAMS.reviews}`);
  await redis.quit();
});

async function countQueries(run: () => Promise<unknown>) {
  queries = 0;
  await run();
  return queries;
}

describe("batched database access", () => {
  it("resolves 100 products with their category and occasions as entities in a constant number of queries", async () => {
    const ids = (await store.db.select({ id: products.id }).from(products)).map((r) => r.id);
    expect(ids).toHaveLength(100);
    const selection = `... on Product { id name availableQuantity category { slug productCount } occasions { slug } }`;
    const forTen = await countQueries(async () => {
      const res = await resolveEntities(
        url,
        ids.slice(0, 10).map((id) => ({ __typename: "Product", id })),
        selection,
      );
      expect(res.data!._entities).toHaveLength(10);
    });
    const forHundred = await countQueries(async () => {
      const res = await resolveEntities(
        url,
        ids.map((id) => ({ __typename: "Product", id })),
        selection,
      );
      expect(res.errors).toBeUndefined();
      expect(res.data!._entities.every((e) => e !== null)).toBe(true);
    });
    // products, categories, category counts, occasions: one query each.
    expect(forHundred).toBe(4);
    expect(forHundred).toBe(forTen);
  });

  it("lists 100 products with their relations in a constant number of queries", async () => {
    const run = (first: number) =>
      countQueries(() =>
        graphql(
          url,
          `
            query ($first: Int) {
              products(first: $first) {
                edges {
                  node {
                    id
                    category {
                      name
                    }
                    occasions {
                      slug
                    }
                  }
                }
              }
            }
          `,
          {
            first,
          },
        ),
      );
    expect(await run(100)).toBe(await run(5));
  });
});
