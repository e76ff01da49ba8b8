// The page's style. Colours for data come from the Okabe–Ito palette (Okabe & Ito 2008, "Color
// Universal Design"), distinguishable with the common colour-vision deficiencies; the interface
// itself is greys and one accent.

extension Page {
  /// The stylesheet served at /assets/app.css.
  static let style = #"""
    :root { --fg: #1b1b1b; --muted: #5a5a5a; --line: #d0d0d0; --bg: #fafafa; --panel: #fff;
      --accent: #0072B2; --bad: #B00020; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
    * { box-sizing: border-box; }
    body { margin: 0; color: var(--fg); background: var(--bg); }
    header { display: flex; align-items: center; gap: 2rem; padding: .6rem 1.2rem;
      border-bottom: 1px solid var(--line); background: var(--panel); }
    .brand { font-weight: 700; color: var(--fg); text-decoration: none; font-size: 1.1rem; }
    nav a { margin-right: 1.2rem; color: var(--muted); text-decoration: none; padding: .2rem 0; }
    nav a[aria-current="page"] { color: var(--fg); border-bottom: 2px solid var(--accent); }
    a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible {
      outline: 3px solid var(--accent); outline-offset: 2px; }
    main { display: grid; grid-template-columns: minmax(260px, 320px) 1fr; gap: 1.2rem;
      padding: 1.2rem; max-width: 1400px; margin: 0 auto; }
    #controls { background: var(--panel); border: 1px solid var(--line); border-radius: 6px;
      padding: 1rem; align-self: start; }
    #controls h1 { font-size: 1.05rem; margin: 0 0 .8rem; }
    .field { margin-bottom: .75rem; }
    .field label { display: block; font-size: .85rem; color: var(--muted); margin-bottom: .2rem; }
    .field input[type=text], .field select { width: 100%; padding: .35rem .45rem; font: inherit;
      border: 1px solid var(--line); border-radius: 4px; background: #fff; }
    .field input[aria-invalid=true], .field select[aria-invalid=true] { border-color: var(--bad); }
    .field .hint { font-size: .75rem; color: var(--muted); }
    .field .field-error { font-size: .8rem; color: var(--bad); margin-top: .2rem; }
    .check label { display: inline; color: var(--fg); font-size: .9rem; }
    #output { min-width: 0; }
    #error { background: #fdecee; color: var(--bad); border: 1px solid #f3b8c0; padding: .6rem .8rem;
      border-radius: 4px; margin-bottom: 1rem; }
    .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: .7rem;
      margin-bottom: 1rem; }
    .card { background: var(--panel); border: 1px solid var(--line); border-radius: 6px;
      padding: .6rem .8rem; }
    .card .label { font-size: .8rem; color: var(--muted); }
    .card .band { font-size: .75rem; color: var(--muted); }
    button.num { font: inherit; font-size: 1.35rem; font-weight: 600; border: 0; background: none;
      padding: 0; color: var(--fg); cursor: pointer; text-align: left;
      text-decoration: underline dotted var(--muted); text-underline-offset: 4px; }
    table button.num { font-size: .95rem; font-weight: 500; }
    table { border-collapse: collapse; width: 100%; background: var(--panel); margin-bottom: 1rem;
      font-size: .9rem; }
    th, td { border-bottom: 1px solid var(--line); padding: .35rem .5rem; text-align: right; }
    th:first-child, td:first-child { text-align: left; }
    .notes { font-size: .8rem; color: var(--muted); margin: .3rem 0 1rem; }
    #charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 1rem; }
    figure { margin: 0; background: var(--panel); border: 1px solid var(--line); border-radius: 6px;
      padding: .5rem; }
    figcaption { font-size: .85rem; color: var(--muted); padding: 0 .3rem .3rem; }
    svg text { font-size: 11px; fill: var(--fg); }
    #share { margin-top: 1rem; background: var(--panel); border: 1px solid var(--line);
      border-radius: 6px; padding: .7rem .9rem; }
    #share label { font-size: .8rem; color: var(--muted); display: block; }
    #cli { display: block; white-space: pre-wrap; word-break: break-all; background: #f0f0f0;
      padding: .45rem .6rem; border-radius: 4px; margin: .3rem 0 .6rem; font-size: .85rem; }
    .buttons button, #explain-close, .tabs button { font: inherit; font-size: .85rem;
      padding: .3rem .7rem; margin: 0 .4rem .3rem 0; border: 1px solid var(--line); border-radius: 4px;
      background: #fff; cursor: pointer; }
    #explain { position: fixed; right: 0; top: 0; bottom: 0; width: min(560px, 95vw);
      background: var(--panel); border-left: 1px solid var(--line); padding: 1rem 1.2rem;
      overflow-y: auto; box-shadow: -4px 0 12px rgba(0,0,0,.08); }
    .explain-head { display: flex; justify-content: space-between; align-items: center; }
    .explain-head h2 { font-size: 1rem; margin: 0; }
    .step { border-top: 1px solid var(--line); padding: .6rem 0; }
    .step.hit { background: #eef5fb; }
    .step .q { font-weight: 600; }
    .step .f { font-family: ui-monospace, monospace; font-size: .85rem; margin: .2rem 0; }
    .step ul { margin: .2rem 0 .2rem 1rem; padding: 0; font-size: .82rem; }
    .step .src { font-size: .78rem; color: var(--muted); }
    footer { text-align: center; font-size: .78rem; color: var(--muted); padding: 1rem; }
    pre.api { background: #f0f0f0; padding: .5rem; border-radius: 4px; overflow-x: auto;
      font-size: .8rem; }
    textarea { width: 100%; font-family: ui-monospace, monospace; font-size: .85rem; }
    @media (max-width: 800px) { main { grid-template-columns: 1fr; } }
    """#
}
