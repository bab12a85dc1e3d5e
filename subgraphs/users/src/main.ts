import { loadConfig, runService } from "@fv/platform";
import { configShape } from "./config.js";
import { buildUsersService } from "./server.js";

const config = loadConfig(configShape);
await runService(await buildUsersService(config), { host: config.HOST, port: config.PORT });
