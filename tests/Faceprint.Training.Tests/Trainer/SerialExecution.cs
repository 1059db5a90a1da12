// libtorch's global generator and thread count are process-wide: a test class seeding the generator and then building
// a model must not have another class draw from it in between, or runs stop being reproducible (and the bitwise
// resume comparison flakes). So this assembly's tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
