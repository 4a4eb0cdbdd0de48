import { matchRoutes } from "@remix-run/react";
import { routePath } from "../../core/http/body-limits";

type RouteObject = Parameters<typeof matchRoutes>[0][number];

/** A route of the server build's manifest, as server.js has it (`build.routes`). */
export type ManifestRoute = { id: string; path?: string; parentId?: string; index?: boolean; module: { action?: unknown } };

/**
 * Whether a POST to this address reaches an action, decided the way Remix picks the route that takes
 * a submission (the deepest match; a matched index route only with a bare `?index`). server.js answers
 * 405 itself otherwise, before reading the body: Remix would read it, answer 405 with "Unexpected
 * Server Error" (resource routes) or its error message (single fetch), and log a stack trace.
 * An address no route matches is left to Remix (404).
 */
export function createPostCheck(routes: Record<string, ManifestRoute | undefined>): (pathname: string, search: string) => boolean {
  const byParent = new Map<string | undefined, ManifestRoute[]>();
  for (const route of Object.values(routes)) {
    if (!route) continue;
    byParent.set(route.parentId, [...(byParent.get(route.parentId) ?? []), route]);
  }
  const tree = (parentId: string | undefined): RouteObject[] =>
    (byParent.get(parentId) ?? []).map((r): RouteObject =>
      r.index ? { id: r.id, path: r.path, index: true } : { id: r.id, path: r.path, children: tree(r.id) },
    );
  const routeTree = tree(undefined);
  return (pathname, search) => {
    const matches = matchRoutes(routeTree, routePath(pathname));
    if (!matches || matches.length === 0) return true;
    const leaf = matches[matches.length - 1];
    const nakedIndex = new URLSearchParams(search).getAll("index").some((v) => v === "");
    const target = leaf?.route.index && !nakedIndex ? matches[matches.length - 2] : leaf;
    const id = target?.route.id;
    return id !== undefined && typeof routes[id]?.module.action === "function";
  };
}
