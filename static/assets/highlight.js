// Marks the words a search found on the page it opened. The search page's links carry
// them as ?pagefind-highlight=…; Pagefind's own highlight script (written by the build
// into pagefind/, beside assets/) wraps each in <mark class="pagefind-highlight">.
// Nothing is loaded unless the address asks for it. Pagefind's script would add an
// inline <style>, which the site's policy forbids: site.css styles the marks instead.
const PARAM = "pagefind-highlight";

if (new URLSearchParams(location.search).has(PARAM)) {
  highlight();
}

async function highlight() {
  const { default: PagefindHighlight } = await import(new URL("../pagefind/pagefind-highlight.js", import.meta.url));
  new PagefindHighlight({
    highlightParam: PARAM,
    addStyles: false,
    markOptions: {
      className: "pagefind-highlight",
      // Footnote markers, navigation and anything else search leaves out stay unmarked.
      exclude: ["[data-pagefind-ignore]", "[data-pagefind-ignore] *"],
    },
  });
}
