import { count } from "drizzle-orm";
import type { ProductsDb } from "../context.js";
import { categories, products } from "./schema.js";

const demoCategories = [
  { slug: "ramos", name: "Ramos" },
  { slug: "arreglos", name: "Arreglos" },
  { slug: "cajas", name: "Cajas" },
  { slug: "plantas", name: "Plantas" },
  { slug: "coronas", name: "Coronas" },
];

const demoProducts = [
  {
    sku: "RAM001",
    slug: "ramo-rosas-rojas",
    name: "Ramo de 12 rosas rojas",
    category: "ramos",
    price: 29990,
    compareAtPrice: 34990,
    stockOnHand: 15,
    featured: true,
    description: "Doce rosas rojas de tallo largo con follaje y papel kraft.",
  },
  {
    sku: "RAM002",
    slug: "ramo-tulipanes-primavera",
    name: "Ramo de tulipanes primavera",
    category: "ramos",
    price: 24990,
    compareAtPrice: null,
    stockOnHand: 10,
    featured: false,
    description: "Tulipanes de colores con eucalipto, ideal para cumpleaños.",
  },
  {
    sku: "ARR001",
    slug: "arreglo-lirios-blancos",
    name: "Arreglo de lirios blancos",
    category: "arreglos",
    price: 39990,
    compareAtPrice: null,
    stockOnHand: 6,
    featured: true,
    description: "Lirios blancos y rosas en base de cerámica.",
  },
  {
    sku: "ARR002",
    slug: "arreglo-girasoles",
    name: "Arreglo de girasoles",
    category: "arreglos",
    price: 27990,
    compareAtPrice: 31990,
    stockOnHand: 8,
    featured: false,
    description: "Girasoles y margaritas para alegrar el día.",
  },
  {
    sku: "CAJ001",
    slug: "caja-rosas-chocolates",
    name: "Caja de rosas y chocolates",
    category: "cajas",
    price: 45990,
    compareAtPrice: null,
    stockOnHand: 5,
    featured: true,
    description: "Rosas rosadas en caja sombrerera con bombones.",
  },
  {
    sku: "PLA001",
    slug: "orquidea-phalaenopsis",
    name: "Orquídea Phalaenopsis",
    category: "plantas",
    price: 34990,
    compareAtPrice: null,
    stockOnHand: 4,
    featured: false,
    description: "Orquídea de dos varas en macetero de cerámica.",
  },
  {
    sku: "COR001",
    slug: "corona-condolencias-blanca",
    name: "Corona de condolencias blanca",
    category: "coronas",
    price: 89990,
    compareAtPrice: null,
    stockOnHand: 2,
    featured: false,
    description: "Corona de flores blancas para expresar condolencias.",
  },
  {
    sku: "RAM003",
    slug: "ramo-mixto-agradecimiento",
    name: "Ramo mixto de agradecimiento",
    category: "ramos",
    price: 12990,
    compareAtPrice: null,
    stockOnHand: 20,
    featured: false,
    description: "Ramo pequeño de flores de estación para dar las gracias.",
  },
];

/** Seeds a small demo catalogue into an empty database; does nothing when products exist. */
export async function seedDemoCatalogue(db: ProductsDb): Promise<number> {
  const [existing] = await db.select({ n: count() }).from(products);
  if ((existing?.n ?? 0) > 0) return 0;
  return db.transaction(async (tx) => {
    const inserted = await tx.insert(categories).values(demoCategories).onConflictDoNothing().returning();
    const all = inserted.length === demoCategories.length ? inserted : await tx.select().from(categories);
    const idBySlug = new Map(all.map((c) => [c.slug, c.id]));
    const rows = demoProducts.map(({ category, ...p }) => ({ ...p, categoryId: idBySlug.get(category)! }));
    await tx.insert(products).values(rows);
    return rows.length;
  });
}
