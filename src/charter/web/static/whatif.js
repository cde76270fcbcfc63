// The what-if page without a submit: as a promise's inputs change, ask /api/what-if
// and show its words under the form. The page works the same without this script:
// each form is a GET that the server answers with the whole page.
(function () {
  "use strict";

  function show(box, lines, problem) {
    box.replaceChildren();
    lines.forEach(function (pair) {
      if (!pair[1]) return;
      var p = document.createElement("p");
      p.className = pair[0];
      p.textContent = pair[1];
      if (problem) p.setAttribute("role", "alert");
      box.appendChild(p);
    });
  }

  function ask(form, box) {
    var params = new URLSearchParams(new FormData(form));
    if (!params.get("within").trim() && !params.get("attainment").trim()) {
      show(box, []);
      return;
    }
    var asked = params.toString();
    form.dataset.asked = asked;
    fetch("/api/what-if?" + asked, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) { return [response.ok, body]; });
      })
      .then(function (result) {
        if (form.dataset.asked !== asked) return; // a later change is on its way
        var body = result[1];
        if (result[0]) {
          show(box, [["headline", body.headline], ["detail", body.detail], ["verdict", body.verdict]]);
          history.replaceState(null, "", "/what-if?" + asked + "#" + form.parentElement.id);
        } else {
          show(box, [["problem", (body.error && body.error.message) || "The what-if could not answer."]], true);
        }
      })
      .catch(function () {
        show(box, [["problem", "The what-if could not be reached; press Try to ask the page instead."]], true);
      });
  }

  document.querySelectorAll("form.try").forEach(function (form) {
    var box = document.getElementById(form.dataset.answer);
    var timer = null;
    form.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { ask(form, box); }, 250);
    });
  });
})();
