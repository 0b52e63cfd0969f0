// The editor's extras (see web/js/editor.js): everything but CodeMirror's
// core, loaded after the first editor exists. Bundled by esbuild
// (web/build/bundle.mjs) as an ES module whose @codemirror/state and
// @codemirror/view are editor.js's own (`globalThis.__iamtraceCM`).
export { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
export {
  bracketMatching,
  foldGutter,
  foldKeymap,
  indentOnInput,
  syntaxHighlighting,
  HighlightStyle,
  indentUnit,
} from "@codemirror/language";
export { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from "@codemirror/autocomplete";
export { searchKeymap, search } from "@codemirror/search";
export { lintGutter, lintKeymap, setDiagnostics } from "@codemirror/lint";
export { json } from "@codemirror/lang-json";
export { tags } from "@lezer/highlight";
