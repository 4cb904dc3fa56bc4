"""Composers: the consultant's feedback letter and the e-mail that carries a plan, from a plan and its findings."""
