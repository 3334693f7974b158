// The JSON view's code editor: CodeMirror 6, bundled at build time by `build-assets.mjs` (a Trunk
// pre-build hook) into target/npm/code-editor.js and loaded lazily by the app the first time
// the JSON view opens. The app owns the document and the undo history: this editor only
// reports what is typed and shows what it is given.
import { Annotation, EditorState, RangeSet, StateEffect, StateField } from "@codemirror/state";
import {
  Decoration,
  EditorView,
  GutterMarker,
  drawSelection,
  gutter,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import {
  StreamLanguage,
  bracketMatching,
  defaultHighlightStyle,
  foldGutter,
  foldKeymap,
  foldService,
  indentOnInput,
  matchBrackets,
  syntaxHighlighting,
} from "@codemirror/language";
import {
  addCursorAbove,
  addCursorBelow,
  copyLineDown,
  copyLineUp,
  cursorMatchingBracket,
  deleteLine,
  indentLess,
  indentMore,
  indentSelection,
  indentWithTab,
  insertBlankLine,
  moveLineDown,
  moveLineUp,
  selectLine,
  simplifySelection,
  standardKeymap,
  toggleTabFocusMode,
} from "@codemirror/commands";
import { highlightSelectionMatches, searchKeymap } from "@codemirror/search";

// JSON as a stream of tokens rather than @codemirror/lang-json's Lezer grammar: the same
// highlighting, indentation and folding for 7 KB less gzip (the LR parser runtime), since the
// app's own parser, not this editor, says what the document means.
const json = StreamLanguage.define({
  name: "json",
  // The open brackets' count, for indentation.
  startState: () => ({ depth: 0 }),
  copyState: (state) => ({ depth: state.depth }),
  token(stream, state) {
    if (stream.eatSpace()) return null;
    if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) {
      return stream.match(/^\s*:/, false) ? "propertyName" : "string";
    }
    if (stream.match(/^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/)) return "number";
    if (stream.match(/^(?:true|false)\b/)) return "bool";
    if (stream.match(/^null\b/)) return "null";
    const next = stream.next();
    if (next === "{" || next === "[") {
      state.depth++;
      return "bracket";
    }
    if (next === "}" || next === "]") {
      state.depth = Math.max(0, state.depth - 1);
      return "bracket";
    }
    return next === "," || next === ":" ? "separator" : "invalid";
  },
  indent(state, textAfter, context) {
    return Math.max(0, state.depth - (/^[}\]]/.test(textAfter) ? 1 : 0)) * context.unit;
  },
  languageData: { indentOnInput: /^\s*[}\]]$/ },
});

// Folds an object or array that opens at the end of a line and closes on a later one.
const foldBrackets = foldService.of((state, lineStart, lineEnd) => {
  const text = state.sliceDoc(lineStart, lineEnd).trimEnd();
  const last = text[text.length - 1];
  if (last !== "{" && last !== "[") return null;
  const open = lineStart + text.length - 1;
  const match = matchBrackets(state, open, 1);
  if (!match || !match.matched || !match.end || match.end.from <= lineEnd) return null;
  return { from: open + 1, to: match.end.from };
});

// CodeMirror's default keymap without what JSON has no use for (comment toggles, moves by a
// syntax tree the stream language does not build): 1.3 KB less gzip.
const editingKeys = [
  { key: "Alt-ArrowUp", run: moveLineUp },
  { key: "Shift-Alt-ArrowUp", run: copyLineUp },
  { key: "Alt-ArrowDown", run: moveLineDown },
  { key: "Shift-Alt-ArrowDown", run: copyLineDown },
  { key: "Mod-Alt-ArrowUp", run: addCursorAbove },
  { key: "Mod-Alt-ArrowDown", run: addCursorBelow },
  { key: "Escape", run: simplifySelection },
  { key: "Mod-Enter", run: insertBlankLine },
  { key: "Alt-l", mac: "Ctrl-l", run: selectLine },
  { key: "Mod-[", run: indentLess },
  { key: "Mod-]", run: indentMore },
  { key: "Mod-Alt-\\", run: indentSelection },
  { key: "Shift-Mod-k", run: deleteLine },
  { key: "Shift-Mod-\\", run: cursorMatchingBracket },
  { key: "Ctrl-m", mac: "Shift-Alt-m", run: toggleTabFocusMode },
  ...standardKeymap,
];

// The app's diagnostics, drawn by the editor: each range underlined, each line with problems
// marked in a gutter, the messages in their titles. Ours rather than @codemirror/lint, whose
// panel and hover tooltips the app does not use (its problems list is the app's own): 8.7 KB
// less gzip.
const setProblems = StateEffect.define();

class ProblemMarker extends GutterMarker {
  constructor(severity, messages) {
    super();
    this.severity = severity;
    this.messages = messages;
  }
  eq(other) {
    return other.severity === this.severity && other.messages === this.messages;
  }
  toDOM() {
    const marker = document.createElement("span");
    marker.className = "cm-problem-marker cm-problem-" + this.severity;
    marker.title = this.messages;
    marker.textContent = this.severity === "error" ? "●" : "▲";
    return marker;
  }
}

// `items`: sorted by `from`, inside the document.
function problemSets(state, items) {
  const marks = [];
  const lines = new Map();
  for (const item of items) {
    // An empty range (a missing value) underlines the character at it, or the one before.
    let { from, to } = item;
    if (from === to) {
      if (to < state.doc.length) to++;
      else if (from > 0) from--;
    }
    if (from < to) {
      marks.push(
        Decoration.mark({
          class: "cm-problem cm-problem-" + item.severity,
          attributes: { title: item.message },
        }).range(from, to),
      );
    }
    const line = state.doc.lineAt(item.from).from;
    const seen = lines.get(line);
    lines.set(line, {
      severity: seen?.severity === "error" ? "error" : item.severity,
      messages: seen ? seen.messages + "\n" + item.message : item.message,
    });
  }
  return {
    marks: Decoration.set(marks, true),
    lines: RangeSet.of(
      [...lines].map(([line, { severity, messages }]) => new ProblemMarker(severity, messages).range(line)),
      true,
    ),
  };
}

const problems = StateField.define({
  create: () => ({ marks: Decoration.none, lines: RangeSet.empty }),
  update(value, transaction) {
    for (const effect of transaction.effects) {
      if (effect.is(setProblems)) return problemSets(transaction.state, effect.value);
    }
    return transaction.docChanged
      ? { marks: value.marks.map(transaction.changes), lines: value.lines.map(transaction.changes) }
      : value;
  },
  provide: (field) => EditorView.decorations.from(field, (value) => value.marks),
});

const problemGutter = gutter({
  class: "cm-problem-gutter",
  markers: (view) => view.state.field(problems).lines,
});

const problemTheme = EditorView.baseTheme({
  ".cm-problem": { textDecoration: "underline wavy", textDecorationSkipInk: "none" },
  ".cm-problem.cm-problem-error": { textDecorationColor: "#d11" },
  ".cm-problem.cm-problem-warning": { textDecorationColor: "#b35c00" },
  ".cm-problem-gutter": { width: "1.1em", textAlign: "center" },
  ".cm-problem-marker": { cursor: "default", fontSize: "80%" },
  ".cm-problem-marker.cm-problem-error": { color: "#d11" },
  ".cm-problem-marker.cm-problem-warning": { color: "#b35c00" },
});

// Marks changes that come from the app (undo, card edits), so they are not reported back.
const fromApp = Annotation.define();

/**
 * Creates an editor in `parent` showing `text`.
 * `callbacks`: change(text) after each user edit; cursor(offset) when the cursor moves
 * (UTF-16 offset); undo() and redo() for the app's history.
 */
export function createCodeEditor(parent, text, callbacks) {
  const appKeys = [
    { key: "Mod-z", run: () => (callbacks.undo(), true), preventDefault: true },
    { key: "Mod-Shift-z", run: () => (callbacks.redo(), true), preventDefault: true },
    { key: "Mod-y", run: () => (callbacks.redo(), true), preventDefault: true },
  ];
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        foldGutter(),
        problems,
        problemGutter,
        problemTheme,
        highlightSpecialChars(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        highlightActiveLine(),
        highlightSelectionMatches(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        json,
        foldBrackets,
        EditorState.tabSize.of(2),
        // tabindex: it is in the tab order as any contenteditable is, but axe-core counts only
        // a tabindex as the focusable content its scrollable region needs.
        EditorView.contentAttributes.of({ "aria-label": "flow.json", "data-testid": "json-editor-content", tabindex: "0" }),
        keymap.of([...appKeys, ...editingKeys, ...searchKeymap, ...foldKeymap, indentWithTab]),
        EditorView.updateListener.of((update) => {
          const external = update.transactions.some((transaction) => transaction.annotation(fromApp));
          if (update.docChanged && !external) {
            callbacks.change(update.state.doc.toString());
          }
          if (update.selectionSet && !external) {
            callbacks.cursor(update.state.selection.main.head);
          }
        }),
      ],
    }),
  });

  return {
    /** Replaces the text with the smallest change, so the cursor and scroll stay put. */
    setText(next) {
      const current = view.state.doc.toString();
      if (current === next) return;
      let start = 0;
      const limit = Math.min(current.length, next.length);
      while (start < limit && current.charCodeAt(start) === next.charCodeAt(start)) start++;
      let endCurrent = current.length;
      let endNext = next.length;
      while (endCurrent > start && endNext > start && current.charCodeAt(endCurrent - 1) === next.charCodeAt(endNext - 1)) {
        endCurrent--;
        endNext--;
      }
      view.dispatch({
        changes: { from: start, to: endCurrent, insert: next.slice(start, endNext) },
        annotations: fromApp.of(true),
      });
    },
    getText() {
      return view.state.doc.toString();
    },
    /** `items`: [{from, to, severity: "error" | "warning", message}] in UTF-16 offsets. */
    setDiagnostics(items) {
      const length = view.state.doc.length;
      const clamp = (offset) => Math.max(0, Math.min(offset, length));
      const diagnostics = items.map((item) => ({
        from: clamp(item.from),
        to: clamp(Math.max(item.to, item.from)),
        severity: item.severity,
        message: item.message,
      }));
      diagnostics.sort((a, b) => a.from - b.from || a.to - b.to);
      view.dispatch({ effects: setProblems.of(diagnostics) });
    },
    /** Selects a range and scrolls it into view. */
    reveal(from, to) {
      const length = view.state.doc.length;
      const anchor = Math.max(0, Math.min(from, length));
      const head = Math.max(anchor, Math.min(to, length));
      view.dispatch({
        selection: { anchor, head },
        effects: EditorView.scrollIntoView(anchor, { y: "center" }),
        annotations: fromApp.of(true),
      });
    },
    focus() {
      view.focus();
    },
    destroy() {
      view.destroy();
    },
  };
}
