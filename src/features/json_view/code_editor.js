// Loads the CodeMirror bundle (built by esbuild into /code-editor.js) the first time the JSON
// view opens, so the editor's first render does not wait for it.
let loading = null;

export function createCodeEditor(parent, text, callbacks) {
  if (!loading) {
    loading = import(new URL("code-editor.js", document.baseURI).href);
    loading.catch(() => {
      loading = null;
    });
  }
  return loading.then((module) => module.createCodeEditor(parent, text, callbacks));
}
