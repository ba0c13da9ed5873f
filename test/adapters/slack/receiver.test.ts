// What reaches the Slack app over HTTP that Slack would never send: dates in the future, bodies that are not
// objects, commands without their text. The real Bolt receiver behind our checks, with signed requests.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HELP_LEAD } from "../../../src/present/messages.js";
import { messageEvent, signSlackRequest } from "../../fakes/slack.js";
import { flatten, type Harness, SIGNING_SECRET, startHarness } from "./harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness("http");
});
afterEach(() => h.close());

/** POSTs `body` to /slack/events, signed for `timestamp` (seconds). */
async function signed(body: string, contentType: string, timestamp = Math.floor(Date.now() / 1000)) {
  const res = await fetch(`${h.baseUrl}/slack/events`, {
    method: "POST",
    headers: {
      "content-type": contentType,
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": signSlackRequest(SIGNING_SECRET, timestamp, body),
    },
    body,
    signal: AbortSignal.timeout(5000),
  });
  return { status: res.status, body: await res.text() };
}

describe("the Slack receiver", () => {
  it("refuses a validly signed request dated an hour ahead, like a stale one", async () => {
    const http = h.http;
    if (http === undefined) throw new Error("HTTP mode");
    const inAnHour = Math.floor(Date.now() / 1000) + 3600;
    expect((await http.command({ text: "define egress" }, { timestamp: inAnHour })).status).toBe(401);
    const anHourAgo = Math.floor(Date.now() / 1000) - 3600;
    expect((await http.command({ text: "define egress" }, { timestamp: anHourAgo })).status).toBe(401);
    // Four minutes ahead is clock skew Slack allows: answered.
    const skewed = Math.floor(Date.now() / 1000) + 240;
    expect((await http.command({ text: "define egress" }, { timestamp: skewed })).status).toBe(200);
    expect(h.posts()).toEqual([]);
  });

  it("answers a signed body that is not an object with a 4xx at once, and keeps serving", async () => {
    for (const body of ["null", "42", '"text"', "[1,2]"]) {
      const t0 = Date.now();
      const res = await signed(body, "application/json");
      expect(res.status, body).toBeGreaterThanOrEqual(400);
      expect(res.status, body).toBeLessThan(500);
      expect(Date.now() - t0).toBeLessThan(1000);
    }
    const payload = await signed(
      `payload=${encodeURIComponent("null")}`,
      "application/x-www-form-urlencoded",
    );
    expect(payload.status).toBe(400);
    expect(h.logs.some((l) => String(l.msg).includes("not an object"))).toBe(true);
    // Still up.
    const ack = await h.command("define egress");
    expect(flatten(ack)).toContain("Egress");
  });

  it("still refuses bad signatures (401) and large bodies (413)", async () => {
    const http = h.http;
    if (http === undefined) throw new Error("HTTP mode");
    expect((await http.command({ text: "define egress" }, { signature: "v0=bad" })).status).toBe(401);
    const huge = await signed(
      JSON.stringify({ type: "event_callback", pad: "x".repeat(5 * 1024 * 1024) }),
      "application/json",
    );
    expect(huge.status).toBe(413);
  });

  it("answers /mesh sent without a text field with how to use it", async () => {
    const form = new URLSearchParams({
      token: "t",
      team_id: h.fake.teamId,
      channel_id: "C1",
      user_id: "U1",
      command: "/mesh",
      response_url: h.fake.responseUrl(),
      trigger_id: "1.2.3",
      api_app_id: h.fake.appId,
    }).toString();
    const res = await signed(form, "application/x-www-form-urlencoded");
    expect(res.status).toBe(200);
    expect(res.body).toContain(HELP_LEAD);
    expect(res.body).toContain("define");
  });

  it("answers the probe with HEAD too", async () => {
    const head = await fetch(`${h.baseUrl}/healthz`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
  });

  it("acknowledges an event only once it was answered", async () => {
    await h.command("autoexplain on");
    h.fake.reset();
    let posted = false;
    h.fake.onCall("chat.postMessage", async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      posted = true;
      return {};
    });
    const res = await h.http?.event(messageEvent({ text: "is mTLS on?" }));
    expect(res?.status).toBe(200);
    expect(posted).toBe(true);
  });

  it("acknowledges a command at once, while its public announcement is still on its way", async () => {
    const http = h.http;
    if (http === undefined) throw new Error("HTTP mode");
    let announced = false;
    h.fake.onCall("chat.postMessage", async () => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      announced = true;
      return {};
    });
    const t0 = Date.now();
    const res = await http.command({ text: "autoexplain on" });
    expect(res.status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(announced).toBe(false);
    // The announcement still lands once Slack answers.
    await h.adapter.settled();
    expect(announced).toBe(true);
  });
});
