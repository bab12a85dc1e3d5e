import { loadConfig, runService } from "@fv/platform";
import { configShape } from "./config.js";
import { buildAuthService } from "./server.js";

const config = loadConfig(configShape);
await runService(await buildAuthService(config), { host: config.HOST, port: config.PORT });
