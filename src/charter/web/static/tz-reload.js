// The public charter without ?tz= asks the browser for its time zone and reloads once
// with it, so hours show on the visitor's clock too. The page is complete without it.
(function () {
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var url = new URL(window.location.href);
    if (!zone || url.searchParams.has("tz")) return;
    url.searchParams.set("tz", zone);
    window.location.replace(url.toString());
  } catch (e) { /* the page is complete without the visitor's clock */ }
})();
