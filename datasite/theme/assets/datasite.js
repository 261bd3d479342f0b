/* datasite: small reader conveniences on top of the theme. No network, no dependencies. */
(function () {
  "use strict";

  /* The theme's language selector fetches sitemap.xml beside each language link to find the
     current page in the other language. Our language links already point at that page, and those
     requests 404 under /zh/, fail when the site is opened from disk, and (the hreflang links
     being absolute) would go to the published host from any other copy of the site. So they are
     answered locally as "aborted" (the theme then keeps the links as they are). This script runs before
     the theme makes them: they start once the document is loaded. */
  var open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.datasiteSkip = /(^|\/)sitemap\.xml$/.test(String(url).split(/[?#]/)[0]);
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (!this.datasiteSkip) return send.apply(this, arguments);
    var request = this;
    setTimeout(function () { request.dispatchEvent(new Event("abort")); }, 0);
  };

  /* A live region, so that screen readers hear that a code was copied. */
  function liveRegion() {
    var region = document.getElementById("ds-live");
    if (!region) {
      region = document.createElement("div");
      region.id = "ds-live";
      region.className = "ds-visually-hidden";
      region.setAttribute("aria-live", "polite");
      region.setAttribute("role", "status");
      document.body.appendChild(region);
    }
    return region;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.ds-copy");
    if (!button) return;
    var region = liveRegion();
    region.textContent = "";
    window.setTimeout(function () { region.textContent = button.getAttribute("data-ds-copied"); }, 50);
    /* the label as first written: a second click within 2 s must not keep "Copied" for good */
    if (!button.hasAttribute("data-ds-label")) button.setAttribute("data-ds-label", button.textContent);
    button.textContent = button.getAttribute("data-ds-done");
    window.setTimeout(function () { button.textContent = button.getAttribute("data-ds-label"); }, 2000);
  });

  /* The language switch keeps the place on the page: anchors (a mirror, a clause) are the same in
     both languages, so /download/#baidu leads to /zh/download/#baidu. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.md-select__link[hreflang]");
    if (link && location.hash) link.setAttribute("href", link.getAttribute("href").split("#")[0] + location.hash);
  }, true);

  /* Mirrors of the region that suits the reader's time zone come first (all stay listed). */
  function preferRegionForTimeZone() {
    var headings = document.querySelectorAll("article h2[data-ds-region]");
    if (!headings.length) return;  /* before Intl, whose first use is slow: most pages have none */
    var zone = "";
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return; }
    /* Regions for this zone move, in their own order, before the first region that is not for it. */
    var anchor = null;
    Array.prototype.forEach.call(headings, function (heading) {
      var zones = (heading.getAttribute("data-ds-first-tz") || "").split(" ");
      if (zones.indexOf(zone) < 0) {
        anchor = anchor || heading;
        return;
      }
      if (!anchor) return;  /* already ahead of every other region */
      var nodes = [heading];
      for (var next = heading.nextElementSibling; next && next.tagName !== "H2"; next = next.nextElementSibling) {
        nodes.push(next);
      }
      nodes.forEach(function (node) { anchor.parentNode.insertBefore(node, anchor); });
      /* the table of contents follows the same order */
      var entry = document.querySelector('.md-nav--secondary a[href="#' + heading.id + '"]');
      var anchorEntry = document.querySelector('.md-nav--secondary a[href="#' + anchor.id + '"]');
      if (entry && anchorEntry) {
        var anchorItem = anchorEntry.closest("li");
        anchorItem.parentNode.insertBefore(entry.closest("li"), anchorItem);
      }
    });
  }

  /* The theme adds a <nav> to every code block; give each a distinct name (axe: landmark-unique). */
  function nameCodeNavs() {
    var all = Array.prototype.slice.call(document.querySelectorAll("nav.md-code__nav"));
    all.forEach(function (nav) {
      if (nav.hasAttribute("aria-label")) return;
      var block = nav.closest(".highlight");
      var heading = block && block.previousElementSibling;
      /* a heading, or the <summary> of a collapsed block */
      while (heading && !/^(H[1-6]|SUMMARY)$/.test(heading.tagName)) heading = heading.previousElementSibling;
      var name = heading ? heading.textContent.replace(/¶$/, "").trim() : "";
      var index = all.indexOf(nav) + 1;
      nav.setAttribute("aria-label", (name ? name + " " : "") + "#" + index);
    });
  }

  preferRegionForTimeZone();
  new MutationObserver(nameCodeNavs).observe(document.body, { childList: true, subtree: true });
  nameCodeNavs();
})();
