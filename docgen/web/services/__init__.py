"""What the web app does, apart from how it is asked: plans' workflow, reviews, uploads, comparisons, bulk builds.

Routes (``web/routes/``) read the request, ask these, and answer; these call
``web/storage/`` for every row and ``docgen.api`` for every plan checked or
built, and raise docgen errors (docgen/errors.py) that carry their HTTP status.
"""
