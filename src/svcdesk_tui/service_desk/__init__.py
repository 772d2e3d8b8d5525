"""The technical service desk: dispatch, visits, first-time fix, leads for sales, promised times."""
