import { loadConfig, runService } from "@fv/platform";
import { configShape } from "./config.js";
import { buildWishlistService } from "./server.js";

const config = loadConfig(configShape);
await runService(await buildWishlistService(config), { host: config.HOST, port: config.PORT });
