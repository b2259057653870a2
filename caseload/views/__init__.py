"""Pages of the caseload app: logging (``logging``), the pages that read (``pages``) and the team lead's overviews (``overviews``)."""
