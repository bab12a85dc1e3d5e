import { loadConfig, runService } from "@fv/platform";
import { configShape } from "./config.js";
import { buildProductsService } from "./server.js";

const config = loadConfig(configShape);
await runService(await buildProductsService(config), { host: config.HOST, port: config.PORT });
