export {
  createSlackAdapter,
  HEALTH_PATH,
  type SlackAdapter,
  type SlackAdapterOptions,
  type SlackClientOverrides,
} from "./app.js";
