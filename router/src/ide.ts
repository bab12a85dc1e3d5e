import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Express } from "express";

const require = createRequire(import.meta.url);
// React's package exports do not list its UMD builds: resolve the package, then the file in it.
const asset = (pkg: string, file: string) => join(dirname(require.resolve(`${pkg}/package.json`)), file);

/** GraphiQL's files come from this package's own dependencies: the IDE works with no internet. */
const assets: Record<string, string> = {
  "react.js": asset("react", "umd/react.production.min.js"),
  "react-dom.js": asset("react-dom", "umd/react-dom.production.min.js"),
  "graphiql.js": asset("graphiql", "graphiql.min.js"),
  "graphiql.css": asset("graphiql", "graphiql.min.css"),
};

const page = `<!doctype html>
<html lang="es">
  <head>
    <meta charset="utf-8" />
    <title>Flores Victoria · GraphiQL</title>
    <link rel="stylesheet" href="/ide/graphiql.css" />
    <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
  </head>
  <body>
    <div id="graphiql">Loading…</div>
    <script src="/ide/react.js"></script>
    <script src="/ide/react-dom.js"></script>
    <script src="/ide/graphiql.js"></script>
    <script src="/ide/start.js"></script>
  </body>
</html>`;

const start = `const fetcher = GraphiQL.createFetcher({ url: "/graphql" });
ReactDOM.createRoot(document.getElementById("graphiql")).render(
  React.createElement(GraphiQL, { fetcher, defaultEditorToolsVisibility: true }),
);`;

export const ideRoutes = ["/", "/ide/start.js", ...Object.keys(assets).map((name) => `/ide/${name}`)];

export function mountIde(app: Express) {
  app.get("/", (_req, res) => {
    res.type("html").send(page);
  });
  app.get("/ide/start.js", (_req, res) => {
    res.type("application/javascript").send(start);
  });
  for (const [name, file] of Object.entries(assets)) {
    // pnpm keeps packages under node_modules/.pnpm: a dot-directory that send() refuses by default.
    app.get(`/ide/${name}`, (_req, res) => res.sendFile(file, { maxAge: "1h", dotfiles: "allow" }));
  }
}
