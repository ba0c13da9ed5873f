export {
  createSlackAdapter,
  type SlackAdapter,
  type SlackAdapterOptions,
  type SlackClientOverrides,
} from "./app.js";
