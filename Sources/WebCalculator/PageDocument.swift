// The page document: one HTML shell for every page path; the script (PageScript.swift) reads the
// path and the query and draws the page. Nothing is loaded from elsewhere.

/// The page, its script and its style, as the server sends them.
enum Page {
  /// The HTML document served at /, /plan, /cost, /projections and /api.
  static let document = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>scaleplan — scaling-law and cost calculator</title>
    <link rel="stylesheet" href="/assets/app.css">
    <script src="/assets/app.js" defer></script>
    </head>
    <body>
    <header>
      <a class="brand" href="/plan">scaleplan</a>
      <nav aria-label="pages">
        <a href="/plan" data-page="plan">Plan</a>
        <a href="/cost" data-page="cost">Cost</a>
        <a href="/projections" data-page="projections">Projections</a>
        <a href="/api" data-page="api">API</a>
      </nav>
    </header>
    <main>
      <section id="controls" aria-label="inputs"></section>
      <section id="output" aria-live="polite">
        <div id="error" role="alert" hidden></div>
        <div id="results"></div>
        <div id="charts"></div>
        <div id="share">
          <label for="cli">As a command</label>
          <code id="cli"></code>
          <div class="buttons">
            <button type="button" id="copy-cli">Copy as CLI command</button>
            <button type="button" id="copy-link">Copy link</button>
            <button type="button" id="export-json">Export JSON</button>
            <button type="button" id="export-csv">Export CSV</button>
            <button type="button" id="export-svg">Export charts (SVG)</button>
          </div>
        </div>
      </section>
      <aside id="explain" aria-label="how a number was computed" hidden>
        <div class="explain-head"><h2>How this was computed</h2>
        <button type="button" id="explain-close" aria-label="close">×</button></div>
        <div id="explain-body"></div>
      </aside>
    </main>
    <footer><span id="timing"></span> · every number opens its formula, inputs and sources ·
    the same engine as the <code>scaleplan</code> command</footer>
    </body>
    </html>
    """#
}
