// The playground's code editor: CodeMirror 6, bundled by esbuild at build
// time (web/build/bundle.mjs) into one classic script that defines
// `globalThis.iamtraceEditor`. The Rust app (web/src/editor.rs) drives it
// through that object; positions cross the boundary as 1-based
// [line, utf16Column] pairs computed in Rust from the core's byte spans.
//
// Texts must survive byte for byte, so lines are split on "\n" only: a "\r"
// stays an ordinary character of its line instead of being normalised away.
//
// Only CodeMirror's core (state and view) is in this file, which the page
// needs to draw its editors; the rest (history and keymaps, the JSON
// language and its highlighting, folding, completion, search, the lint
// gutter) is `editor-extras.js` (web/js/editor-extras.js), loaded right
// after the first editor is created, which then gets it through a
// compartment. Until then an editor edits plain text, and diagnostics wait.
// The extras bundle takes @codemirror/state and @codemirror/view from this
// file (`globalThis.__iamtraceCM`), so there is one copy of each.
//
// AWS knowledge (completion, hover, descriptions) comes from the knowledge
// module, a second wasm file the page loads once it is interactive
// (web/src/data.rs calls `iamtraceLoadKnowledge` below). Until then, and if
// it never loads, the editor simply offers none. This file only maps its
// JSON answers onto CodeMirror and draws tooltips; it fetches nothing.

import * as cmState from "@codemirror/state";
import * as cmView from "@codemirror/view";

const { EditorState, Compartment, StateEffect, StateField } = cmState;
const {
  EditorView,
  Decoration,
  hoverTooltip,
  lineNumbers,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  drawSelection,
} = cmView;

// What editor-extras.js imports from the core, by package name.
globalThis.__iamtraceCM = { "@codemirror/state": cmState, "@codemirror/view": cmView };

// Colours come from CSS variables, so the editor follows the page's light or
// dark theme without reconfiguring. Built once the extras are loaded.
let style = null;
const highlightStyle = (x) =>
  (style ??= x.HighlightStyle.define([
    { tag: x.tags.propertyName, color: "var(--syn-key)" },
    { tag: x.tags.string, color: "var(--syn-string)" },
    { tag: x.tags.number, color: "var(--syn-number)" },
    { tag: [x.tags.bool, x.tags.null], color: "var(--syn-atom)" },
    { tag: [x.tags.separator, x.tags.brace, x.tags.squareBracket, x.tags.punctuation], color: "var(--syn-punct)" },
    { tag: x.tags.invalid, color: "var(--syn-invalid)" },
  ]));

const theme = EditorView.theme({
  "&": { color: "var(--fg)", backgroundColor: "var(--editor-bg)", fontSize: "13px" },
  ".cm-content": { fontFamily: "var(--mono)", caretColor: "var(--fg)", padding: "6px 0" },
  ".cm-scroller": { fontFamily: "var(--mono)", lineHeight: "1.55" },
  ".cm-gutters": {
    backgroundColor: "var(--editor-gutter-bg)",
    color: "var(--muted)",
    borderRight: "1px solid var(--border)",
  },
  ".cm-activeLine": { backgroundColor: "var(--editor-active-line)" },
  ".cm-activeLineGutter": { backgroundColor: "var(--editor-active-line)", color: "var(--fg)" },
  "&.cm-focused .cm-cursor": { borderLeftColor: "var(--fg)" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": {
    backgroundColor: "var(--editor-selection) !important",
  },
  "&.cm-focused": { outline: "none" },
  ".cm-matchingBracket": { backgroundColor: "var(--editor-bracket)", outline: "1px solid var(--border-strong)" },
  ".cm-nonmatchingBracket": { backgroundColor: "var(--deny-bg)" },
  ".cm-trace-hl": { backgroundColor: "var(--hl-bg)", borderRadius: "2px" },
  ".cm-trace-hl-strong": { backgroundColor: "var(--hl-strong-bg)", borderRadius: "2px" },
  ".cm-line.cm-trace-hl-line": { boxShadow: "inset 3px 0 0 var(--hl-strong-border)", backgroundColor: "var(--hl-line-bg)" },
  ".cm-tooltip": { backgroundColor: "var(--surface)", color: "var(--fg)", border: "1px solid var(--border-strong)" },
  ".cm-tooltip-lint": { fontFamily: "var(--sans)", maxWidth: "42em" },
  ".cm-diagnostic": { whiteSpace: "pre-wrap" },
  ".cm-tooltip.cm-tooltip-autocomplete > ul": { fontFamily: "var(--mono)", maxHeight: "16em" },
  ".cm-tooltip-autocomplete ul li[aria-selected]": { backgroundColor: "var(--accent)", color: "var(--accent-fg)" },
  ".cm-completionDetail": { fontFamily: "var(--sans)", fontStyle: "normal", color: "var(--muted)", marginLeft: "1em" },
  ".cm-tooltip-autocomplete ul li[aria-selected] .cm-completionDetail": { color: "inherit", opacity: "0.85" },
  ".cm-completionInfo": { fontFamily: "var(--sans)", maxWidth: "28em", padding: "6px 9px" },
  ".cm-panels": { backgroundColor: "var(--surface-2)", color: "var(--fg)" },
  ".cm-foldPlaceholder": { backgroundColor: "var(--surface-2)", border: "1px solid var(--border)", color: "var(--muted)" },
});

// Highlights chosen from the trace: marks that follow edits until replaced.
const setHighlights = StateEffect.define();
const highlightField = StateField.define({
  create: () => Decoration.none,
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) if (e.is(setHighlights)) deco = e.value;
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});
const weak = Decoration.mark({ class: "cm-trace-hl" });
const strong = Decoration.mark({ class: "cm-trace-hl-strong" });
const lineMark = Decoration.line({ class: "cm-trace-hl-line" });

// Every C0 control character except "\t", "\n" and "\r" (CRLF texts stay readable).
const specialChars =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u061c\u200b\u200e\u200f\u2028\u2029\u202d\u202e\u2066\u2067\u2069\ufeff\ufff9-\ufffc]/gu;

/** Document offset of a 1-based [line, utf16Column] pair, clamped to the document. */
function offset(doc, pos) {
  if (!Array.isArray(pos) || pos.length < 2) return 0;
  const line = Math.min(Math.max(1, pos[0] | 0), doc.lines);
  const l = doc.line(line);
  return Math.min(l.from + Math.max(0, (pos[1] | 0) - 1), l.to);
}

function parse(jsonText) {
  try {
    const v = JSON.parse(jsonText);
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

/** `editor-extras.js`, once loaded; editors waiting for it. */
let extras = null;
let extrasStarted = false;
const waitingForExtras = new Set();

/** Loads the extras (once), after the first editor exists. Its address is
 * `extras=` in <meta name="iamtrace-lazy"> (web/build/lazy.mjs). */
function loadExtras() {
  if (extrasStarted) return;
  extrasStarted = true;
  setTimeout(async () => {
    const meta = document.querySelector('meta[name="iamtrace-lazy"]')?.getAttribute("content") || "";
    const url = meta.split(/\s+/).find((p) => p.startsWith("extras="))?.slice("extras=".length);
    if (!url) return;
    try {
      extras = await import(new URL(url, document.baseURI).href);
    } catch {
      return; // the editors stay plain: the page works the same
    }
    for (const apply of waitingForExtras) apply();
    waitingForExtras.clear();
  }, 0);
}

/** The knowledge module, once loaded (see `iamtraceLoadKnowledge`). */
const knowledge = () => globalThis.iamtraceKnowledge;

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
}

/** Text with `quoted` parts as code (the core's messages quote user input in backticks). */
function rich(tag, cls, text) {
  const e = el(tag, cls);
  const parts = String(text).split("`");
  if (parts.length % 2 === 0) {
    e.textContent = text;
    return e;
  }
  parts.forEach((p, i) => e.append(i % 2 ? el("code", null, p) : p));
  return e;
}

const CATEGORY = { error: "Error", security: "Security warning", warning: "Warning", suggestion: "Suggestion" };

/** A finding's tooltip: category, code, message and help. */
function renderFinding(d) {
  const box = el("div", "cm-finding");
  const head = el("div", "cm-finding-head");
  const label = d.source === "check" ? CATEGORY[d.category] || d.category : d.severity === "error" ? "Invalid" : "Note";
  head.append(el("span", `cm-finding-cat badge-cat-${d.category || "error"}`, label), el("code", "cm-finding-code", d.code || ""));
  box.append(head, rich("div", "cm-finding-message", d.message || ""));
  if (d.help) box.append(rich("div", "cm-finding-help", d.help));
  return box;
}

/** Completions from the knowledge module (policy elements, actions, keys, operators, managed policy names). */
function completionSource(context) {
  const k = knowledge();
  if (!k) return null;
  let r;
  try {
    const json = k.complete(context.state.doc.toString(), context.pos);
    r = json ? JSON.parse(json) : null;
  } catch {
    return null;
  }
  if (!r || !r.options.length) return null;
  return {
    from: r.from,
    to: r.to,
    validFor: r.valid_for ? new RegExp(r.valid_for) : undefined,
    options: r.options.map((o) => ({
      label: o.label,
      type: o.type,
      detail: o.detail,
      apply: o.apply,
      retrigger: !!o.retrigger,
      info: o.described
        ? () => k.describe(o.label).then((d) => (d ? el("div", "cm-describe", d) : null))
        : undefined,
    })),
  };
}

/** The tooltip of an action, wildcard, condition key or operator under the pointer. */
const knowledgeHover = hoverTooltip(async (view, pos) => {
  const k = knowledge();
  if (!k) return null;
  let h;
  try {
    const json = await k.hover(view.state.doc.toString(), pos);
    h = json ? JSON.parse(json) : null;
  } catch {
    return null;
  }
  if (!h) return null;
  return {
    pos: h.from,
    end: h.to,
    above: true,
    create() {
      const dom = el("div", `cm-knowledge cm-knowledge-${h.kind.replace(/\s+/g, "-")}`);
      dom.dataset.testid = "knowledge-hover";
      const head = el("div", "cm-knowledge-head");
      head.append(el("code", "cm-knowledge-title", h.title), el("span", "cm-knowledge-kind", h.kind));
      dom.append(head);
      if (h.detail) dom.append(rich("div", "cm-knowledge-detail", h.detail));
      if (h.body) dom.append(el("p", "cm-knowledge-body", h.body));
      if (h.items && h.items.length) {
        const ul = el("ul", "cm-knowledge-items");
        for (const item of h.items) ul.append(el("li", null, item));
        if (h.more) ul.append(el("li", "cm-knowledge-more", `and ${h.more} more`));
        dom.append(ul);
      }
      return { dom };
    },
  };
});

// Live views, so tests can read texts back exactly (`debugTexts`).
const views = new Set();

/** A slot holds a JSON document, or names a managed policy (`ReadOnlyAccess`): plain text then. */
const isJson = (start) => /^\s*([{[]|$)/.test(start);
const docIsJson = (doc) => isJson(doc.sliceString(0, Math.min(doc.length, 200)));

/** Everything an editor gets from the extras. */
function extrasFor(x, language, text) {
  return [
    x.indentUnit.of("  "),
    x.foldGutter(),
    x.lintGutter(),
    x.history(),
    x.indentOnInput(),
    x.bracketMatching(),
    x.closeBrackets(),
    x.autocompletion({
      override: [completionSource],
      activateOnCompletion: (c) => !!c.retrigger,
      maxRenderedOptions: 200,
      icons: true,
    }),
    x.search({ top: true }),
    x.syntaxHighlighting(highlightStyle(x)),
    language.of(isJson(text.slice(0, 200)) ? x.json() : []),
    cmView.keymap.of([
      ...x.closeBracketsKeymap,
      ...x.completionKeymap,
      ...x.defaultKeymap,
      ...x.searchKeymap,
      ...x.historyKeymap,
      ...x.foldKeymap,
      ...x.lintKeymap,
    ]),
  ];
}

function create(parent, text, label, readOnly, onChange) {
  const editable = new Compartment();
  const language = new Compartment();
  const extra = new Compartment();
  const readOnlyExt = (ro) => [EditorState.readOnly.of(ro), EditorView.editable.of(!ro)];
  const state = EditorState.create({
    doc: text,
    extensions: [
      EditorState.lineSeparator.of("\n"),
      lineNumbers(),
      highlightActiveLineGutter(),
      highlightSpecialChars({ specialChars }),
      drawSelection(),
      knowledgeHover,
      highlightActiveLine(),
      extra.of(extras ? extrasFor(extras, language, text) : []),
      theme,
      highlightField,
      EditorView.contentAttributes.of({ "aria-label": label, "aria-multiline": "true", spellcheck: "false" }),
      editable.of(readOnlyExt(readOnly)),
      // Phones: wrap long lines instead of scrolling sideways.
      globalThis.matchMedia && globalThis.matchMedia("(max-width: 760px)").matches ? EditorView.lineWrapping : [],
      EditorView.updateListener.of((u) => {
        if (!u.docChanged) return;
        const wasJson = docIsJson(u.startState.doc);
        if (extras && wasJson !== docIsJson(u.state.doc)) {
          queueMicrotask(() => u.view.dispatch({ effects: language.reconfigure(wasJson ? [] : extras.json()) }));
        }
        onChange(u.state.doc.toString());
      }),
    ],
  });
  const view = new EditorView({ state, parent });
  views.add(view);
  // Diagnostics given before the extras arrived, applied when they do.
  let pendingDiagnostics = null;
  const applyExtras = () => {
    if (!views.has(view)) return;
    view.dispatch({ effects: extra.reconfigure(extrasFor(extras, language, view.state.doc.sliceString(0, 200))) });
    if (pendingDiagnostics != null) handle.setDiagnostics(pendingDiagnostics);
    pendingDiagnostics = null;
  };
  if (!extras) {
    waitingForExtras.add(applyExtras);
    loadExtras();
  }

  const handle = {
    /** `diagnostics`: JSON `[{from:[l,c], to:[l,c], severity, category, source, code, message, help}]`.
     * Findings of the checks (`source: "check"`) get a "Turn off" action, which
     * bubbles an `iamtrace-lint-off` event with the code to the page. */
    setDiagnostics(diagnosticsJson) {
      if (!extras) {
        pendingDiagnostics = diagnosticsJson;
        return;
      }
      const doc = view.state.doc;
      const list = parse(diagnosticsJson).map((d) => {
        const from = offset(doc, d.from);
        const to = Math.max(from, offset(doc, d.to));
        const message = String(d.message || "") + (d.help ? `\nhelp: ${d.help}` : "");
        const actions =
          d.source === "check"
            ? [
                {
                  name: `Turn off ${d.code}`,
                  apply: (v) => v.dom.dispatchEvent(new CustomEvent("iamtrace-lint-off", { detail: d.code, bubbles: true })),
                },
              ]
            : [];
        return {
          from,
          to,
          severity: d.severity || "error",
          markClass: `cm-lint-${d.category || "error"}`,
          message,
          renderMessage: () => renderFinding(d),
          actions,
        };
      });
      view.dispatch(extras.setDiagnostics(view.state, list));
    },
    /** `highlights`: JSON `[{from:[l,c], to:[l,c], strong}]`; scrolls to the first when `scroll`. */
    setHighlights(highlightsJson, scroll) {
      const doc = view.state.doc;
      const ranges = [];
      const lines = new Set();
      for (const h of parse(highlightsJson)) {
        const from = offset(doc, h.from);
        const to = offset(doc, h.to);
        if (to <= from) continue;
        ranges.push((h.strong ? strong : weak).range(from, to));
        // Mark the lines a highlight covers in the gutter side, so a long
        // statement reads as one block.
        for (let l = doc.lineAt(from).number; l <= doc.lineAt(to).number; l++) lines.add(doc.line(l).from);
      }
      for (const from of lines) ranges.push(lineMark.range(from));
      const effects = [setHighlights.of(Decoration.set(ranges, true))];
      if (scroll && ranges.length > 0) {
        effects.push(EditorView.scrollIntoView(ranges[0].from, { y: "center" }));
      }
      view.dispatch({ effects });
      if (scroll && ranges.length > 0) {
        view.dom.scrollIntoView({ block: "nearest", behavior: "smooth" });
      }
    },
    setReadOnly(ro) {
      view.dispatch({ effects: editable.reconfigure(readOnlyExt(!!ro)) });
    },
    focus() {
      view.focus();
    },
    destroy() {
      views.delete(view);
      waitingForExtras.delete(applyExtras);
      view.destroy();
    },
  };
  return handle;
}

/** Every live editor's text by its host's `data-testid` (for tests). */
function debugTexts() {
  const out = {};
  for (const v of views) out[v.dom.parentElement?.dataset.testid || "?"] = v.state.doc.toString();
  return out;
}

globalThis.iamtraceEditor = { create, debugTexts, version: 2 };

/** Loads the knowledge module (an ES module and its wasm, both files of this
 * page's own origin, named by web/build/lazy.mjs) and makes it
 * `globalThis.iamtraceKnowledge`. Called by the page once it is interactive. */
globalThis.iamtraceLoadKnowledge = async (moduleUrl, wasmUrl) => {
  const base = document.baseURI;
  const m = await import(new URL(moduleUrl, base).href);
  await m.default({ module_or_path: new URL(wasmUrl, base).href });
  globalThis.iamtraceKnowledge = m;
  return true;
};

/** Loads the panels module (the walk of a chain, the CloudTrail import;
 * web/src/panels.rs) the same way, as `globalThis.iamtracePanels`. */
globalThis.iamtraceLoadPanels = async (moduleUrl, wasmUrl) => {
  const base = document.baseURI;
  const m = await import(new URL(moduleUrl, base).href);
  await m.default({ module_or_path: new URL(wasmUrl, base).href });
  globalThis.iamtracePanels = m;
  return true;
};
