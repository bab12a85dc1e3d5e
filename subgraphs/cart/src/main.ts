import { loadConfig, runService } from "@fv/platform";
import { configShape } from "./config.js";
import { buildCartService } from "./server.js";

const config = loadConfig(configShape);
await runService(await buildCartService(config), { host: config.HOST, port: config.PORT });
