"""Stage 2, model: the site as one validated, immutable value (site.py), made once as
published and, for a preview, with drafts (sites.py): figures, alerts, contact routes,
open datasets, the pages made from data, what is published today and the news lists."""
