-- A J-LIS error notice (alarm kind CENTER_NOTICE, docs/alarms.md) is a row that a staff member records on the
-- console's 障害・アラーム page, not one a node raises. recorded_by holds that staff member's login id (of the row's
-- municipality), so that a different staff member acknowledges it (four eyes); NULL for the rows Kofu raises.
ALTER TABLE alarm ADD COLUMN recorded_by VARCHAR(64) NULL AFTER raised_by;
