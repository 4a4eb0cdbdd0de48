import { openApiDocument } from "~/server/platform/openapi.server";

/** The API's description (OpenAPI 3.1). Public: it names no figure, only how to ask for them. */
export async function loader() {
  return Response.json(openApiDocument(), { headers: { "Cache-Control": "public, max-age=300" } });
}
