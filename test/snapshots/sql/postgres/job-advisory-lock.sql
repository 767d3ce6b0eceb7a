select pg_try_advisory_lock($1::bigint) as ok;
-- parameters: [-1]
