// The search page's interface, on Pagefind's JS API.
// Pagefind's ready-made UI injects inline styles, which the site's Content
// Security Policy forbids; this small interface needs nothing but this file,
// the index in pagefind/ and WebAssembly. Without JavaScript the form stays
// hidden and the page's links and site map do the job instead.
const form = document.querySelector(".search-form");
if (form) {
  start(form);
}

async function start(form) {
  const input = form.querySelector("input[type=search]");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const fallback = document.getElementById("search-nojs");
  let pagefind;
  try {
    pagefind = await import(form.dataset.pagefind);
    // No worker: the page's policy allows WebAssembly here, and one thread is plenty.
    await pagefind.options({ baseUrl: form.dataset.base, noWorker: true, excerptLength: 24 });
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

  let latest = 0; // answers to older queries that arrive late are dropped
  async function run(query) {
    const asked = ++latest;
    query = query.trim();
    if (!query) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    const search = await pagefind.search(query);
    const pages = await Promise.all(search.results.slice(0, 20).map((result) => result.data()));
    if (asked !== latest) {
      return;
    }
    list.replaceChildren(...pages.map(resultItem));
    // The status is a live region: screen readers announce the count.
    const template = pages.length === 0 ? form.dataset.none : pages.length === 1 ? form.dataset.one : form.dataset.many;
    status.textContent = template.replace("{n}", String(search.results.length)).replace("{q}", query);
  }

  let timer;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => run(input.value), 250);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    // Keep the query in the address, so Back and a shared link show the same results.
    history.replaceState(null, "", "?q=" + encodeURIComponent(input.value.trim()));
    run(input.value);
  });
  const asked = new URLSearchParams(location.search).get("q");
  if (asked) {
    input.value = asked;
    run(asked);
  }
}

function resultItem(page) {
  const item = document.createElement("li");
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = page.url;
  link.textContent = page.meta.title || page.url;
  heading.append(link);
  const excerpt = document.createElement("p");
  excerpt.append(...excerptNodes(page.excerpt));
  item.append(heading, excerpt);
  return item;
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
