import { loadConfig, runService } from "@fv/platform";
import { configShape } from "./config.js";
import { buildOrdersService } from "./server.js";

const config = loadConfig(configShape);
await runService(await buildOrdersService(config), { host: config.HOST, port: config.PORT });
