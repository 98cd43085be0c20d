// jindu search page (placeholder until the page issue)
