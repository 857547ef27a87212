"""The evidence site behind `ssbkg serve`: pages, an API over the stored queries, a SPARQL endpoint.

`app.py` makes the Starlette application and maps errors to statuses; `pages.py` gathers what each
page shows, through the library only; `api.py` answers the API and the SPARQL protocol; `reader.py`
shares one open store among the requests in flight; `links.py` makes every URL the pages link to.
"""
