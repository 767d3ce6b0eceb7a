select pg_try_advisory_lock(?::bigint) as ok;
-- parameters: [-1]
