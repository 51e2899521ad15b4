-- 0004 (both backends): indexes for the lookups by area and by day that
-- listings and `status` make: events of an area (event_areas by area_id),
-- sites of an area (site_areas by area_id), the first and last event day.

CREATE INDEX event_areas_area ON event_areas(area_id);
CREATE INDEX site_areas_area ON site_areas(area_id);
CREATE INDEX events_day ON events(day_start);
