// Builds dist/ after `npm ci` so `npm start` and `npx mesh` work on a fresh clone.
// A production install (`npm ci --omit=dev`) has no TypeScript and ships a prebuilt dist/.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

if (!existsSync("node_modules/typescript")) {
  process.exit(0);
}
execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], {
  stdio: "inherit",
});
