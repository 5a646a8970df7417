// The search page's interface, on Pagefind's JS API.
// Pagefind's ready-made UI injects inline styles, which the site's Content
// Security Policy forbids; this small interface needs nothing but this file,
// the index in pagefind/ and WebAssembly. Without JavaScript the form stays
// hidden and the page's links and site map do the job instead.
const form = document.querySelector(".search-form");
if (form) {
  start(form);
}

// Each result links to its page and to the headings under which the words were
// found (Pagefind's sub-results); every link carries the words in
// ?pagefind-highlight=, so the page it opens marks them (static/assets/highlight.js).
// The selects narrow the results with Pagefind's filters (kind of page, municipality).
const HIGHLIGHT_PARAM = "pagefind-highlight";
const SUB_RESULTS = 3; // headings shown under each page
let sentenceExcerpt; // from excerpt.js: an excerpt that starts where a sentence starts

async function start(form) {
  const input = form.querySelector("input[type=search]");
  const selects = Array.from(form.querySelectorAll("select[data-filter]"));
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const fallback = document.getElementById("search-nojs");
  let pagefind;
  try {
    pagefind = await import(form.dataset.pagefind);
    ({ sentenceExcerpt } = await import(form.dataset.excerpt));
    // No worker: the page's policy allows WebAssembly here, and one thread is plenty.
    await pagefind.options({
      baseUrl: form.dataset.base, noWorker: true, excerptLength: 24, highlightParam: HIGHLIGHT_PARAM,
    });
    await pagefind.init();
  } catch (error) {
    status.textContent = form.dataset.failed;
    return;
  }
  // A keyboard user may already be in the links this swaps away: keep their focus in the page.
  const hadFocus = fallback.contains(document.activeElement);
  fallback.hidden = true;
  form.hidden = false;
  if (hadFocus) {
    input.focus();
  }

  function chosenFilters() {
    const filters = {};
    for (const select of selects) {
      if (select.value) {
        filters[select.dataset.filter] = select.value;
      }
    }
    return filters;
  }

  let latest = 0; // answers to older queries that arrive late are dropped
  async function run(query) {
    const asked = ++latest;
    query = query.trim();
    if (!query) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    let search, pages;
    try {
      search = await pagefind.search(query, { filters: chosenFilters() });
      pages = await Promise.all(search.results.slice(0, 20).map((result) => result.data()));
    } catch (error) {
      // Pagefind loads its WebAssembly at the first search, not at init: a server whose
      // Content-Security-Policy header forbids it fails here. Say so, and show the links.
      if (asked === latest) {
        list.replaceChildren();
        status.textContent = form.dataset.failed;
        fallback.hidden = false;
      }
      return;
    }
    if (asked !== latest) {
      return;
    }
    fallback.hidden = true;
    list.replaceChildren(...pages.map((found) => resultItem(found, form.dataset.sections)));
    // The status is a live region: screen readers announce the count, and what narrows it.
    const template = pages.length === 0 ? form.dataset.none : pages.length === 1 ? form.dataset.one : form.dataset.many;
    let said = template.replace("{n}", String(search.results.length)).replace("{q}", query);
    const narrowed = selects.filter((select) => select.value).map((select) => select.selectedOptions[0].textContent.trim());
    if (narrowed.length) {
      said += " " + form.dataset.filtered.replace("{filters}", narrowed.join(", "));
    }
    status.textContent = said;
  }

  // Keep the query and filters in the address, so Back and a shared link show the same results.
  function remember() {
    const params = new URLSearchParams({ q: input.value.trim() });
    for (const select of selects) {
      if (select.value) {
        params.set(select.name, select.value);
      }
    }
    history.replaceState(null, "", "?" + params.toString());
  }

  let timer;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => run(input.value), 250);
  });
  for (const select of selects) {
    select.addEventListener("change", () => {
      clearTimeout(timer);
      remember();
      run(input.value);
    });
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    remember();
    run(input.value);
  });
  const params = new URLSearchParams(location.search);
  for (const select of selects) {
    const value = params.get(select.name);
    if (value && Array.from(select.options).some((option) => option.value === value)) {
      select.value = value;
    }
  }
  const asked = params.get("q");
  if (asked) {
    input.value = asked;
    run(asked);
  }
}

function resultItem(page, sectionsLabel) {
  const item = document.createElement("li");
  const heading = document.createElement("h2");
  heading.append(link(page.url, page.meta.title || page.url));
  const excerpt = document.createElement("p");
  excerpt.append(...excerptNodes(sentenceExcerpt(page.content, page.locations, 24) || page.excerpt));
  item.append(heading, excerpt);
  // The headings on the page under which the words stand, each linked to its place.
  const sections = (page.sub_results || []).filter((sub) => sub.url.includes("#")).slice(0, SUB_RESULTS);
  if (sections.length) {
    const under = document.createElement("ul");
    under.className = "search-sections";
    under.setAttribute("aria-label", sectionsLabel); // a screen reader hears what the links are
    for (const sub of sections) {
      const entry = document.createElement("li");
      const text = document.createElement("p");
      text.append(...excerptNodes(sub.excerpt));
      entry.append(link(sub.url, sub.title), text);
      under.append(entry);
    }
    item.append(under);
  }
  return item;
}

function link(href, text) {
  const a = document.createElement("a");
  a.href = href;
  a.textContent = text;
  return a;
}

// Pagefind marks the matched words with <mark>; everything else is text.
// Build the nodes ourselves rather than trusting the excerpt as HTML.
function excerptNodes(excerpt) {
  const decoded = new DOMParser().parseFromString(excerpt, "text/html").body;
  return Array.from(decoded.childNodes, (node) => {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      return mark;
    }
    return document.createTextNode(node.textContent);
  });
}
