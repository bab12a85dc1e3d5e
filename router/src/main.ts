import { loadConfig, runService } from "@fv/platform";
import { configShape } from "./config.js";
import { buildRouter } from "./server.js";

const config = loadConfig(configShape);
await runService(await buildRouter(config), { host: config.HOST, port: config.PORT });
