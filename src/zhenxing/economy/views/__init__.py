"""The economy's pages by sub-domain: ``dashboard``, ``books``, ``plans``, ``support``."""
