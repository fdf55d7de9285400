// Every test here runs node processes (up to three, with PostgreSQL and v2ray clients): one class at a time, so the
// timings they measure are not those of six clusters sharing two cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
