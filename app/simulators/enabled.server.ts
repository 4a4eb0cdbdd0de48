import { notFound } from "../server/platform/http.server";
import { env, simulatorsOn } from "../server/platform/env.server";

/**
 * The first line of every simulator route: when the simulators are off (always in production) the
 * route does not exist — 404, as for any unknown address — so nobody can settle a fee through the
 * simulated gateway or move a parcel without the post office (issue 11, problem 3).
 */
export function requireSimulators(): void {
  if (!simulatorsOn(env())) notFound();
}
