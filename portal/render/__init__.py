"""Stage 3, render: each page through its Jinja template (pages.py, the one module that
knows Jinja), markdown made safe (markup.py), charts and share pictures drawn
(charts.py, shareimages.py), and what each page read (depends.py)."""
