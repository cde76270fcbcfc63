// The policy editor, enhanced: a policy text's textarea becomes a code editor with line
// numbers and YAML highlighting (CodeMirror 5, vendored under /static/vendor/codemirror),
// and a link in the list of errors moves the cursor to its line and column. Without
// this file the textarea works as it is, and each error link goes to its line's anchor
// (#L12) in the numbered listing.
(function () {
  "use strict";
  var editors = {}; // by the textarea's id

  function enhance(textarea) {
    if (typeof window.CodeMirror !== "function") return null;
    var editor = window.CodeMirror.fromTextArea(textarea, {
      mode: "yaml", lineNumbers: true, indentUnit: 2, tabSize: 2, lineWrapping: false,
      viewportMargin: Infinity,
      extraKeys: {
        // YAML forbids tabs for indentation: Tab indents with spaces.
        Tab: function (cm) { cm.execCommand(cm.somethingSelected() ? "indentMore" : "insertSoftTab"); },
        "Shift-Tab": "indentLess"
      }
    });
    // The label still names the editor: its hidden textarea takes the label's id.
    var input = editor.getInputField();
    input.setAttribute("aria-label", "Policy text (YAML)");
    if (textarea.getAttribute("aria-describedby")) {
      input.setAttribute("aria-describedby", textarea.getAttribute("aria-describedby"));
    }
    if (textarea.getAttribute("aria-invalid") === "true") {
      editor.getWrapperElement().classList.add("invalid");
    }
    return editor;
  }

  // The offset in a plain textarea's value where line ``line`` (from 1), column ``column``
  // (from 1) begins.
  function offsetOf(text, line, column) {
    var at = 0;
    for (var n = 1; n < line; n += 1) {
      var end = text.indexOf("\n", at);
      if (end < 0) return text.length;
      at = end + 1;
    }
    var lineEnd = text.indexOf("\n", at);
    var length = (lineEnd < 0 ? text.length : lineEnd) - at;
    return at + Math.min(Math.max(column - 1, 0), length);
  }

  function moveTo(link, event) {
    var target = document.getElementById(link.getAttribute("data-editor"));
    var line = parseInt(link.getAttribute("data-line"), 10);
    var column = parseInt(link.getAttribute("data-column"), 10) || 1;
    if (!target || !line) return; // follow the anchor instead
    event.preventDefault();
    var editor = editors[target.id];
    if (editor) {
      var last = editor.lineCount() - 1;
      var where = { line: Math.min(line - 1, last), ch: column - 1 };
      editor.focus();
      editor.setCursor(where);
      editor.scrollIntoView(where, 80);
      return;
    }
    var at = offsetOf(target.value, line, column);
    target.focus();
    target.setSelectionRange(at, at);
  }

  document.querySelectorAll("textarea.code").forEach(function (textarea) {
    var editor = enhance(textarea);
    if (editor) editors[textarea.id] = editor;
  });
  document.querySelectorAll("a[data-line][data-editor]").forEach(function (link) {
    link.addEventListener("click", function (event) { moveTo(link, event); });
  });
})();
