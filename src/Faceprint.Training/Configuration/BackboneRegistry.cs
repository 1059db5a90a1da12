using static TorchSharp.torch;

namespace Faceprint.Training.Configuration;

/// <summary>
/// Named backbone constructors. A backbone is any module mapping N×3×S×S images to N×D embeddings; model code registers
/// its networks here (by lower-case name, e.g. "mobilefacenet") and the trainer builds them by the config's name only.
/// </summary>
public sealed class BackboneRegistry
{
    private readonly Dictionary<string, Func<BackboneOptions, nn.Module<Tensor, Tensor>>> _factories = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    /// <summary>The registry the CLI builds from.</summary>
    public static BackboneRegistry Default { get; } = new();

    /// <summary>Registered names, sorted.</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_lock)
                return [.. _factories.Keys.Order(StringComparer.OrdinalIgnoreCase)];
        }
    }

    /// <summary>Registers (or replaces) the constructor of <paramref name="name"/>.</summary>
    public void Register(string name, Func<BackboneOptions, nn.Module<Tensor, Tensor>> create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (_lock)
            _factories[name] = create;
    }

    /// <summary>Builds backbone <paramref name="name"/>.</summary>
    /// <exception cref="FaceprintException">No backbone of that name is registered.</exception>
    public nn.Module<Tensor, Tensor> Create(string name, BackboneOptions options)
    {
        Func<BackboneOptions, nn.Module<Tensor, Tensor>>? create;
        lock (_lock)
            _factories.TryGetValue(name, out create);
        if (create is null)
        {
            var known = Names;
            throw new FaceprintException($"unknown network '{name}' (registered: {(known.Count == 0 ? "none" : string.Join(", ", known))})");
        }
        return create(options);
    }
}
