-- The published quotations of an area (GET /api/v1/stats/quotes?area=…), newest first: read
-- from this index alone, not by walking every published case of the country from the newest
-- until enough are found in the area (seconds for a small commune of a large database).
CREATE INDEX cases_published_by_area ON cases(area_code, created_at)
    WHERE public_consent = 1 AND public_approved = 1;
