import { loadConfig, runService } from "@fv/platform";
import { configShape } from "./config.js";
import { buildContactService } from "./server.js";

const config = loadConfig(configShape);
await runService(await buildContactService(config), { host: config.HOST, port: config.PORT });
