using Faceprint.Training.Models;
using static TorchSharp.torch;

namespace Faceprint.Training.Configuration;

/// <summary>
/// Named backbone constructors. A backbone is any module mapping N×3×S×S images to N×D embeddings; model code registers
/// its networks here (by lower-case name, e.g. "mobilefacenet") and the trainer builds them by the config's name only.
/// </summary>
public sealed class BackboneRegistry
{
    private readonly Dictionary<string, (string Name, Func<BackboneOptions, nn.Module<Tensor, Tensor>> Create)> _factories = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    /// <summary>The registry the CLI builds from: every built-in configuration the engine can also run.</summary>
    public static BackboneRegistry Default { get; } = CreateDefault();

    private static BackboneRegistry CreateDefault()
    {
        var registry = new BackboneRegistry();
        foreach (string name in FaceBackbones.TrainableNames)
            registry.Register(name, options => FaceBackbones.Create(name, options.EmbeddingSize, options.InputSize));
        return registry;
    }

    // Config files spell names either way (facelivt_s_la, facelivt-s-la).
    private static string Key(string name) => name.Replace('_', '-');

    /// <summary>Registered names, sorted.</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_lock)
                return [.. _factories.Values.Select(f => f.Name).Order(StringComparer.OrdinalIgnoreCase)];
        }
    }

    /// <summary>Registers (or replaces) the constructor of <paramref name="name"/>.</summary>
    public void Register(string name, Func<BackboneOptions, nn.Module<Tensor, Tensor>> create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (_lock)
            _factories[Key(name)] = (name, create);
    }

    /// <summary>Builds backbone <paramref name="name"/>.</summary>
    /// <exception cref="FaceprintException">No backbone of that name is registered.</exception>
    public nn.Module<Tensor, Tensor> Create(string name, BackboneOptions options)
    {
        bool found;
        (string Name, Func<BackboneOptions, nn.Module<Tensor, Tensor>> Create) factory;
        lock (_lock)
            found = _factories.TryGetValue(Key(name), out factory);
        if (!found)
        {
            var known = Names;
            throw new FaceprintException($"unknown network '{name}' (registered: {(known.Count == 0 ? "none" : string.Join(", ", known))})");
        }
        return factory.Create(options);
    }
}
