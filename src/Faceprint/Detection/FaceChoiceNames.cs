namespace Faceprint.Detection;

/// <summary>How a <see cref="FaceChoice"/> is spelled on the command line, in query strings and in reports.</summary>
public static class FaceChoiceNames
{
    /// <summary>Spelling of <see cref="FaceChoice.Prominent"/>.</summary>
    public const string Prominent = "prominent";

    /// <summary>Spelling of <see cref="FaceChoice.Largest"/>.</summary>
    public const string Largest = "largest";

    /// <summary>The spelling of <paramref name="choice"/>.</summary>
    public static string Spell(FaceChoice choice) => choice == FaceChoice.Largest ? Largest : Prominent;

    /// <summary>The choice <paramref name="name"/> spells; false for any other text.</summary>
    public static bool TryParse(string? name, out FaceChoice choice)
    {
        choice = name == Largest ? FaceChoice.Largest : FaceChoice.Prominent;
        return name is Prominent or Largest;
    }
}
