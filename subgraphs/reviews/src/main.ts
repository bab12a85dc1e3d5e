import { loadConfig, runService } from "@fv/platform";
import { configShape } from "./config.js";
import { buildReviewsService } from "./server.js";

const config = loadConfig(configShape);
await runService(await buildReviewsService(config), { host: config.HOST, port: config.PORT });
