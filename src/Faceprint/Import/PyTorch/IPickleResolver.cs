namespace Faceprint.Import.PyTorch;

/// <summary>
/// What an <see cref="Unpickler"/> asks about whenever a pickle refers to something beyond plain data: globals,
/// calls, persistent ids and object state. An implementation allowlists what it understands and refuses the rest,
/// so unpickling never runs anything.
/// </summary>
internal interface IPickleResolver
{
    /// <summary>The value standing for global <paramref name="module"/>.<paramref name="name"/>; throws if not allowed.</summary>
    object FindGlobal(string module, string name);

    /// <summary>Applies a callable from <see cref="FindGlobal"/> to <paramref name="args"/> (REDUCE, NEWOBJ).</summary>
    object? Call(object callable, object?[] args);

    /// <summary>Resolves a persistent id (BINPERSID), e.g. a reference to a tensor storage record.</summary>
    object? PersistentLoad(object? id);

    /// <summary>Applies pickled state to an object (BUILD).</summary>
    void Build(object? instance, object? state);
}
