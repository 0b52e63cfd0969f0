// The playground's code editor: CodeMirror 6, bundled by esbuild at build
// time (web/build/bundle.mjs) into one classic script that defines
// `globalThis.iamtraceEditor`. The Rust app (web/src/editor.rs) drives it
// through that object; positions cross the boundary as 1-based
// [line, utf16Column] pairs computed in Rust from the core's byte spans.
//
// Texts must survive byte for byte, so lines are split on "\n" only: a "\r"
// stays an ordinary character of its line instead of being normalised away.

import { EditorState, Compartment, StateEffect, StateField } from "@codemirror/state";
import {
  EditorView,
  Decoration,
  keymap,
  lineNumbers,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  drawSelection,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import {
  bracketMatching,
  foldGutter,
  foldKeymap,
  indentOnInput,
  syntaxHighlighting,
  HighlightStyle,
  indentUnit,
} from "@codemirror/language";
import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { searchKeymap, search } from "@codemirror/search";
import { lintGutter, lintKeymap, setDiagnostics } from "@codemirror/lint";
import { json } from "@codemirror/lang-json";
import { tags as t } from "@lezer/highlight";

// Colours come from CSS variables, so the editor follows the page's light or
// dark theme without reconfiguring.
const highlightStyle = HighlightStyle.define([
  { tag: t.propertyName, color: "var(--syn-key)" },
  { tag: t.string, color: "var(--syn-string)" },
  { tag: t.number, color: "var(--syn-number)" },
  { tag: [t.bool, t.null], color: "var(--syn-atom)" },
  { tag: [t.separator, t.brace, t.squareBracket, t.punctuation], color: "var(--syn-punct)" },
  { tag: t.invalid, color: "var(--syn-invalid)" },
]);

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

// Live views, so tests can read texts back exactly (`debugTexts`).
const views = new Set();

function create(parent, text, label, readOnly, onChange) {
  const editable = new Compartment();
  const readOnlyExt = (ro) => [EditorState.readOnly.of(ro), EditorView.editable.of(!ro)];
  const state = EditorState.create({
    doc: text,
    extensions: [
      EditorState.lineSeparator.of("\n"),
      indentUnit.of("  "),
      lineNumbers(),
      foldGutter(),
      lintGutter(),
      highlightActiveLineGutter(),
      highlightSpecialChars({ specialChars }),
      history(),
      drawSelection(),
      indentOnInput(),
      bracketMatching(),
      closeBrackets(),
      highlightActiveLine(),
      search({ top: true }),
      syntaxHighlighting(highlightStyle),
      json(),
      theme,
      highlightField,
      keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...foldKeymap, ...lintKeymap]),
      EditorView.contentAttributes.of({ "aria-label": label, "aria-multiline": "true", spellcheck: "false" }),
      editable.of(readOnlyExt(readOnly)),
      // Phones: wrap long lines instead of scrolling sideways.
      globalThis.matchMedia && globalThis.matchMedia("(max-width: 760px)").matches ? EditorView.lineWrapping : [],
      EditorView.updateListener.of((u) => {
        if (u.docChanged) onChange(u.state.doc.toString());
      }),
    ],
  });
  const view = new EditorView({ state, parent });
  views.add(view);

  return {
    /** `diagnostics`: JSON `[{from:[l,c], to:[l,c], severity, message}]`. */
    setDiagnostics(diagnosticsJson) {
      const doc = view.state.doc;
      const list = parse(diagnosticsJson).map((d) => {
        const from = offset(doc, d.from);
        const to = Math.max(from, offset(doc, d.to));
        return { from, to, severity: d.severity || "error", message: String(d.message || "") };
      });
      view.dispatch(setDiagnostics(view.state, list));
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
    getText() {
      return view.state.doc.toString();
    },
    focus() {
      view.focus();
    },
    destroy() {
      views.delete(view);
      view.destroy();
    },
  };
}

/** Every live editor's text by its host's `data-testid` (for tests). */
function debugTexts() {
  const out = {};
  for (const v of views) out[v.dom.parentElement?.dataset.testid || "?"] = v.state.doc.toString();
  return out;
}

globalThis.iamtraceEditor = { create, debugTexts, version: 1 };
