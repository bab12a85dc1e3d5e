/** The nine services, their ports and stores: the one table start, compose and the tests read. */
export type StoreKind = "postgres" | "redis" | "mongodb";

export interface ServiceSpec {
  name: string;
  dir: string;
  port: number;
  stores: StoreKind[];
  /** Subgraphs this one calls directly (with the service credential): each becomes <PEER>_URL in its env. */
  peers?: string[];
}

export const subgraphs: ServiceSpec[] = [
  { name: "auth", dir: "subgraphs/auth", port: 4001, stores: ["postgres", "redis"] },
  { name: "users", dir: "subgraphs/users", port: 4002, stores: ["postgres", "redis"] },
  { name: "products", dir: "subgraphs/products", port: 4003, stores: ["postgres", "redis"] },
  { name: "orders", dir: "subgraphs/orders", port: 4004, stores: ["postgres", "redis"], peers: ["products", "cart"] },
  { name: "cart", dir: "subgraphs/cart", port: 4005, stores: ["redis"], peers: ["products"] },
  { name: "wishlist", dir: "subgraphs/wishlist", port: 4006, stores: ["mongodb"], peers: ["cart"] },
  { name: "reviews", dir: "subgraphs/reviews", port: 4007, stores: ["mongodb", "redis"] },
  { name: "contact", dir: "subgraphs/contact", port: 4008, stores: ["mongodb", "redis"] },
];

export const router: ServiceSpec = { name: "router", dir: "router", port: 4000, stores: ["redis"] };
